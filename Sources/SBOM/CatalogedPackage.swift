/// One package found in an image, from whichever database or file recorded it.
public struct CatalogedPackage: Sendable, Hashable, Codable {
    /// The ecosystem, which decides the purl type and how versions compare.
    public enum Ecosystem: String, Sendable, Hashable, Codable, CaseIterable {
        case debian
        case python
        case go
        case alpine
    }

    public var ecosystem: Ecosystem
    /// The package name (Python names normalized per PEP 503).
    public var name: String
    public var version: String
    /// The package's architecture where the record states it (`amd64`, `all`, `x86_64`).
    public var architecture: String?
    /// The source package (Debian `Source:`, Alpine origin); nil when it is the package itself.
    public var sourceName: String?
    public var sourceVersion: String?
    /// License names as the record gives them (Debian short names, SPDX ids or free text), sorted.
    public var licenses: [String]
    /// Who maintains or publishes it, as the record says.
    public var supplier: String?
    /// The file the package was read from (`var/lib/dpkg/status.d/libc6`, a Go binary…).
    public var location: String
    /// Index of the layer that added it (0 is the lowest).
    public var layer: Int
    /// For Go modules: the toolchain that built the binary, and whether this is the binary's main module.
    public var goToolchain: String?
    public var isMainModule: Bool?

    public init(
        ecosystem: Ecosystem, name: String, version: String, architecture: String? = nil, sourceName: String? = nil,
        sourceVersion: String? = nil, licenses: [String] = [], supplier: String? = nil, location: String, layer: Int,
        goToolchain: String? = nil, isMainModule: Bool? = nil
    ) {
        self.ecosystem = ecosystem
        self.name = name
        self.version = version
        self.architecture = architecture
        self.sourceName = sourceName
        self.sourceVersion = sourceVersion
        self.licenses = licenses
        self.supplier = supplier
        self.location = location
        self.layer = layer
        self.goToolchain = goToolchain
        self.isMainModule = isMainModule
    }

    /// The order packages appear in documents: by ecosystem, name, version, then where they were found.
    public static func ordered(_ lhs: CatalogedPackage, _ rhs: CatalogedPackage) -> Bool {
        let l = [lhs.ecosystem.rawValue, lhs.name, lhs.version, lhs.location, lhs.architecture ?? ""]
        let r = [rhs.ecosystem.rawValue, rhs.name, rhs.version, rhs.location, rhs.architecture ?? ""]
        return l.lexicographicallyPrecedes(r) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

/// The operating system an image is based on, from its os-release file.
public struct Distribution: Sendable, Hashable, Codable {
    /// `ID` (`debian`, `alpine`).
    public var id: String
    /// `VERSION_ID` (`12`, `3.20.1`), or the codename when there is none.
    public var versionID: String?
    public var prettyName: String?

    public init(id: String, versionID: String?, prettyName: String?) {
        self.id = id
        self.versionID = versionID
        self.prettyName = prettyName
    }
}
