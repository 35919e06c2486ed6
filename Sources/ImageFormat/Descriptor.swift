import Foundation

/// An OCI content descriptor: what a blob is, its digest and its size.
public struct Descriptor: Codable, Hashable, Sendable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    public var urls: [String]?
    public var annotations: [String: String]?
    public var data: String?
    public var platform: Platform?
    public var artifactType: String?

    public init(
        mediaType: String, digest: Digest, size: Int64, urls: [String]? = nil,
        annotations: [String: String]? = nil, data: String? = nil, platform: Platform? = nil,
        artifactType: String? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.urls = urls
        self.annotations = annotations
        self.data = data
        self.platform = platform
        self.artifactType = artifactType
    }

    /// Throws unless `bytes` have this descriptor's size and digest.
    public func verify(_ bytes: Data, what: String) throws(ImageFormatError) {
        if Int64(bytes.count) != size {
            throw .sizeMismatch(what: what, expected: size, actual: Int64(bytes.count))
        }
        let actual = Digest.sha256(of: bytes)
        if actual != digest { throw .digestMismatch(what: what, expected: digest, actual: actual) }
    }
}

/// The platform an image runs on.
public struct Platform: Codable, Hashable, Sendable, CustomStringConvertible {
    public var architecture: String
    public var os: String
    public var osVersion: String?
    public var osFeatures: [String]?
    public var variant: String?
    public var features: [String]?

    enum CodingKeys: String, CodingKey {
        case architecture, os, variant, features
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(
        architecture: String, os: String = "linux", osVersion: String? = nil,
        osFeatures: [String]? = nil, variant: String? = nil, features: [String]? = nil
    ) {
        self.architecture = architecture
        self.os = os
        self.osVersion = osVersion
        self.osFeatures = osFeatures
        self.variant = variant
        self.features = features
    }

    /// The OCI platform for a Debian architecture name (`arm64` gets variant `v8`).
    public init(debianArchitecture arch: String) {
        switch arch {
        case "arm64": self.init(architecture: "arm64", variant: "v8")
        case "armhf": self.init(architecture: "arm", variant: "v7")
        case "armel": self.init(architecture: "arm", variant: "v5")
        case "i386": self.init(architecture: "386")
        default: self.init(architecture: arch)
        }
    }

    /// The platform of the running machine (from `uname`, so an emulated binary reports the real host).
    public static var host: Platform {
        var names = utsname()
        uname(&names)
        let machine = withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let oci = ["x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "i686": "386", "ppc64le": "ppc64le",
                   "s390x": "s390x", "riscv64": "riscv64"]
        let architecture = oci[machine] ?? machine
        return Platform(architecture: architecture, variant: architecture == "arm64" ? "v8" : nil)
    }

    /// `os/architecture[/variant]`.
    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }
}
