import Debian
import Foundation
import Python

/// Versions parsed once and compared many times: one scan compares each installed version with every record
/// about its package, and advisories repeat the same fixed versions, so parsing dominated matching.
final class VersionMemo: @unchecked Sendable {
    /// A version of one scheme, parsed.
    enum Parsed {
        case dpkg(DebianVersion)
        case pep440(PEP440Version)
        case semver(SemanticVersion)
    }

    private let lock = NSLock()
    private var parsed: [VersionScheme: [String: Parsed?]] = [:]

    /// `text` parsed in `scheme`; nil when it is not a version of that scheme.
    func parse(_ text: String, _ scheme: VersionScheme) -> Parsed? {
        if let known = lock.withLock({ parsed[scheme]?[text] }) { return known }
        let value: Parsed?
        switch scheme {
        case .dpkg: value = (try? DebianVersion(text)).map(Parsed.dpkg)
        case .pep440: value = (try? PEP440Version(text)).map(Parsed.pep440)
        case .semver: value = SemanticVersion(text).map(Parsed.semver)
        }
        lock.withLock { parsed[scheme, default: [:]][text] = .some(value) }
        return value
    }

    /// Three-way comparison in `scheme`, as ``VersionScheme/compare(_:_:)`` gives it; nil when either is not a version.
    func compare(_ a: String, _ b: String, _ scheme: VersionScheme) -> Int? {
        guard let x = parse(a, scheme), let y = parse(b, scheme) else { return nil }
        switch (x, y) {
        case (.dpkg(let x), .dpkg(let y)): return DebianVersion.compare(x, y)
        case (.pep440(let x), .pep440(let y)): return PEP440Version.compare(x, y)
        case (.semver(let x), .semver(let y)): return SemanticVersion.compare(x, y)
        default: return nil
        }
    }
}
