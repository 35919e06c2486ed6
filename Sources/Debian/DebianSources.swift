/// A Debian release distill can build from.
public enum DebianDistro: String, Sendable, Codable, CaseIterable {
    case debian12
    case debian13

    /// The release's codename (`bookworm`).
    public var codename: String {
        switch self {
        case .debian12: return "bookworm"
        case .debian13: return "trixie"
        }
    }

    /// The suites an image of this release is built from: the release, its updates and its security fixes.
    public var defaultSuites: [String] { [codename, codename + "-updates", codename + "-security"] }
}

/// One suite of one mirror, e.g. `bookworm-security` on `http://deb.debian.org/debian-security`.
public struct DebianSuite: Sendable, Codable, Hashable {
    /// The suite or codename as it appears under `dists/`.
    public var name: String
    /// The mirror root (the directory holding `dists/` and `pool/`), without a trailing slash.
    public var mirror: String
    public var components: [String]

    public init(name: String, mirror: String, components: [String] = ["main"]) {
        self.name = name
        self.mirror = DebianSources.trimmed(mirror)
        self.components = components
    }

    /// The URL of a file below `dists/<suite>/`.
    public func distsURL(_ relative: String) -> String { "\(mirror)/dists/\(name)/\(relative)" }

    /// The URL of a pool file (`pool/main/…`).
    public func poolURL(_ filename: String) -> String { "\(mirror)/\(filename)" }
}

/// Where packages come from: an ordered list of suites (earlier suites win ties between equal versions).
public struct DebianSources: Sendable, Codable, Equatable {
    public var suites: [DebianSuite]

    public init(suites: [DebianSuite]) { self.suites = suites }

    /// The official mirror.
    public static let defaultMirror = "http://deb.debian.org/debian"

    /// The sources for `distro`: its default suites on `mirror` (security suites on the mirror's `-security` sibling),
    /// or exactly `suites` when the build file lists them.
    public static func standard(
        distro: DebianDistro, mirror: String? = nil, suites: [String]? = nil, components: [String] = ["main"]
    ) -> DebianSources {
        let base = trimmed(mirror ?? defaultMirror)
        let names = suites ?? distro.defaultSuites
        return DebianSources(
            suites: names.map { name in
                DebianSuite(name: name, mirror: name.hasSuffix("-security") ? securitySibling(of: base) : base, components: components)
            })
    }

    /// `http://deb.debian.org/debian` → `http://deb.debian.org/debian-security`; a mirror at a host's root gets `/debian-security`.
    public static func securitySibling(of mirror: String) -> String {
        let base = trimmed(mirror)
        if let schemeEnd = base.range(of: "://"), !base[schemeEnd.upperBound...].contains("/") {
            return base + "/debian-security"
        }
        return base + "-security"
    }

    static func trimmed(_ mirror: String) -> String {
        var m = mirror
        while m.hasSuffix("/") { m.removeLast() }
        return m
    }

    /// The suite called `name`.
    public func suite(named name: String) -> DebianSuite? { suites.first { $0.name == name } }
}
