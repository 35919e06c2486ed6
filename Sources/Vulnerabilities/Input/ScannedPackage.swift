/// One installed component to look up: what `scan` reads from an image or an SBOM.
public struct ScannedPackage: Sendable, Hashable, Codable {
    /// The package's own name (for Debian, the binary package).
    public var name: String
    /// The installed version as the package manager records it.
    public var version: String
    /// The OSV ecosystem family: `Debian`, `PyPI`, `Go`, `npm`… (the Debian release comes from the subject).
    public var ecosystem: String
    /// Debian: the source package it was built from, and that source's version (when it differs).
    public var sourceName: String?
    public var sourceVersion: String?
    /// The package URL, when known.
    public var purl: String?

    public init(name: String, version: String, ecosystem: String, sourceName: String? = nil, sourceVersion: String? = nil, purl: String? = nil) {
        self.name = name
        self.version = version
        self.ecosystem = ecosystem
        self.sourceName = sourceName
        self.sourceVersion = sourceVersion
        self.purl = purl
    }

    /// The name advisories use: the source package for Debian, the package itself elsewhere.
    public var advisoryName: String { ecosystem == "Debian" ? (sourceName ?? name) : name }

    /// The version advisories are compared with: the source version for Debian, the installed version elsewhere.
    public var advisoryVersion: String { ecosystem == "Debian" ? (sourceVersion ?? version) : version }
}

/// Everything found in one image or SBOM.
public struct ScanSubject: Sendable, Equatable {
    /// The image reference or SBOM file, for reports.
    public var name: String
    /// `debian` and its release (`12`, `13`) when the operating system is known.
    public var osFamily: String?
    public var osVersion: String?
    public var packages: [ScannedPackage]

    public init(name: String, osFamily: String? = nil, osVersion: String? = nil, packages: [ScannedPackage]) {
        self.name = name
        self.osFamily = osFamily
        self.osVersion = osVersion
        self.packages = packages
    }

    /// The OSV ecosystem for Debian packages here (`Debian:12`), from the release's major number.
    public var debianEcosystem: String? {
        guard osFamily == "debian", let version = osVersion, let major = version.split(separator: ".").first, !major.isEmpty,
            major.allSatisfy(\.isNumber)
        else { return nil }
        return "Debian:\(major)"
    }
}
