/// How a package may be co-installed across architectures (its `Multi-Arch` field).
public enum MultiArch: String, Sendable, Codable {
    case no
    case same
    case foreign
    case allowed
}

/// Immutable bytes shared by every record parsed from one index, so each record keeps its raw text cheaply.
public final class SharedBytes: Sendable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// One binary package as a Packages index lists it.
public struct PackageRecord: Sendable, CustomStringConvertible {
    public let name: String
    public let version: DebianVersion
    /// `amd64`, `arm64`… or `all`.
    public let architecture: String
    public let multiArch: MultiArch
    /// The source package's name (the package's own name when the index omits it).
    public let sourceName: String
    /// The source package's version (the binary's version when the index omits it).
    public let sourceVersion: String
    /// The pool path relative to the mirror root, e.g. `pool/main/g/glibc/libc6_2.36-9_amd64.deb`.
    public let filename: String
    public let size: Int64
    /// The lowercase hex sha256 of the .deb.
    public let sha256: String
    /// The suite whose index listed the package (`bookworm-security`).
    public let suite: String
    public let isEssential: Bool
    let dependsText: String?
    let preDependsText: String?
    let providesText: String?
    let storage: SharedBytes?
    let textRange: Range<Int>

    public init(
        name: String, version: DebianVersion, architecture: String, multiArch: MultiArch = .no, sourceName: String? = nil,
        sourceVersion: String? = nil, filename: String, size: Int64, sha256: String, suite: String, isEssential: Bool = false,
        depends: String? = nil, preDepends: String? = nil, provides: String? = nil
    ) {
        self.name = name
        self.version = version
        self.architecture = architecture
        self.multiArch = multiArch
        self.sourceName = sourceName ?? name
        self.sourceVersion = sourceVersion ?? version.string
        self.filename = filename
        self.size = size
        self.sha256 = sha256
        self.suite = suite
        self.isEssential = isEssential
        self.dependsText = depends
        self.preDependsText = preDepends
        self.providesText = provides
        self.storage = nil
        self.textRange = 0..<0
    }

    init(
        name: String, version: DebianVersion, architecture: String, multiArch: MultiArch, sourceName: String, sourceVersion: String,
        filename: String, size: Int64, sha256: String, suite: String, isEssential: Bool, dependsText: String?,
        preDependsText: String?, providesText: String?, storage: SharedBytes, textRange: Range<Int>
    ) {
        self.name = name
        self.version = version
        self.architecture = architecture
        self.multiArch = multiArch
        self.sourceName = sourceName
        self.sourceVersion = sourceVersion
        self.filename = filename
        self.size = size
        self.sha256 = sha256
        self.suite = suite
        self.isEssential = isEssential
        self.dependsText = dependsText
        self.preDependsText = preDependsText
        self.providesText = providesText
        self.storage = storage
        self.textRange = textRange
    }

    /// The index paragraph exactly as listed (LF line ends, final line break); empty for records built in code.
    public var indexText: String {
        guard let storage else { return "" }
        var text = String(decoding: storage.bytes[textRange], as: UTF8.self)
        if text.contains("\r\n") { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// The Depends field, parsed.
    public func depends() throws(DebianError) -> [Dependency] {
        guard let dependsText else { return [] }
        return try RelationParser.dependencies(dependsText, package: name, field: "Depends")
    }

    /// The Pre-Depends field, parsed.
    public func preDepends() throws(DebianError) -> [Dependency] {
        guard let preDependsText else { return [] }
        return try RelationParser.dependencies(preDependsText, package: name, field: "Pre-Depends")
    }

    /// The Provides field, parsed.
    public func provides() throws(DebianError) -> [PackageRelation] {
        guard let providesText else { return [] }
        return try RelationParser.provides(providesText, package: name)
    }

    public var description: String { "\(name) \(version) (\(architecture))" }
}
