import Debian
import Python

/// The version scheme of an OSV ecosystem, and the way package names are compared in it.
public enum VersionScheme: Sendable, Equatable {
    /// dpkg's order (Debian, Ubuntu).
    case dpkg
    /// PEP 440 (PyPI).
    case pep440
    /// Semantic Versioning (Go, npm, crates.io, and every SEMVER range).
    case semver

    /// The scheme of an OSV ecosystem name (`Debian:12`, `PyPI`, `Go`…); nil when distill cannot order its versions.
    public init?(ecosystem: String) {
        let base = ecosystem.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ecosystem
        switch base {
        case "Debian", "Ubuntu": self = .dpkg
        case "PyPI": self = .pep440
        case "Go", "npm", "crates.io", "Hex", "Pub", "SwiftURL": self = .semver
        default: return nil
        }
    }

    /// Three-way comparison of two version strings; nil when either is not a version of this scheme.
    public func compare(_ a: String, _ b: String) -> Int? {
        switch self {
        case .dpkg:
            guard let x = try? DebianVersion(a), let y = try? DebianVersion(b) else { return nil }
            return DebianVersion.compare(x, y)
        case .pep440:
            guard let x = try? PEP440Version(a), let y = try? PEP440Version(b) else { return nil }
            return PEP440Version.compare(x, y)
        case .semver:
            guard let x = SemanticVersion(a), let y = SemanticVersion(b) else { return nil }
            return SemanticVersion.compare(x, y)
        }
    }

    /// True when `a` and `b` are the same version (`1.0` and `1.0.0` in PyPI); exact text otherwise.
    public func equal(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        return compare(a, b) == 0
    }
}

/// How package names are keyed in the database and in queries.
public enum PackageNameKey {
    /// PyPI names are PEP 503-normalised; other ecosystems keep their names as written.
    public static func key(name: String, ecosystem: String) -> String {
        ecosystem == "PyPI" ? ProjectName.normalize(name) : name
    }

    /// The ecosystem without its release suffix (`Debian:12` → `Debian`).
    public static func family(_ ecosystem: String) -> String {
        ecosystem.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ecosystem
    }
}
