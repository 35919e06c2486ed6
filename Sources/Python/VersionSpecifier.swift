/// One PEP 440 version clause: `>=1.2`, `~=2.2`, `==1.4.*`, `!=3.0`, `===foobar`.
public struct VersionSpecifier: Sendable, Hashable, CustomStringConvertible {
    /// The comparison operators of PEP 440.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case arbitrary = "===", compatible = "~=", equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=",
            less = "<", greater = ">"
    }

    public let op: Operator
    /// The version as written, without a trailing `.*`.
    public let versionText: String
    /// The version (nil only for `===`, which compares strings).
    public let version: PEP440Version?
    /// A prefix match (`==1.4.*`, `!=2.*`).
    public let wildcard: Bool

    /// Parses one clause; anything PEP 440 does not allow is ``PythonError/malformedSpecifier(text:reason:)``.
    public init(_ text: String) throws(PythonError) {
        let trimmed = text.trimmingASCIISpaces()
        // Longest operators first, so `===` is not read as `==` and `=`.
        guard let op = Operator.allCases.first(where: { trimmed.hasPrefix($0.rawValue) }) else {
            throw .malformedSpecifier(text: text, reason: "it does not start with an operator (==, !=, <=, >=, <, >, ~=, ===)")
        }
        var rest = String(trimmed.dropFirst(op.rawValue.count)).trimmingASCIISpaces()
        guard !rest.isEmpty else { throw .malformedSpecifier(text: text, reason: "no version after \(op.rawValue)") }
        self.op = op
        if op == .arbitrary {
            versionText = rest
            version = nil
            wildcard = false
            return
        }
        var wildcard = false
        if rest.hasSuffix(".*") {
            guard op == .equal || op == .notEqual else {
                throw .malformedSpecifier(text: text, reason: "only == and != take a .* suffix")
            }
            wildcard = true
            rest.removeLast(2)
        }
        let parsed = try PEP440Version(rest)
        guard parsed.isPEP440 else { throw .malformedSpecifier(text: text, reason: "'\(rest)' is not a PEP 440 version") }
        if parsed.local != nil, wildcard || ![.equal, .notEqual].contains(op) {
            throw .malformedSpecifier(text: text, reason: "a local version (+…) is allowed only with == and !=")
        }
        if op == .compatible, parsed.release.count < 2 {
            throw .malformedSpecifier(text: text, reason: "~= needs at least two release numbers (e.g. ~=2.2)")
        }
        if wildcard, parsed.preRelease != nil || parsed.postRelease != nil || parsed.devRelease != nil {
            throw .malformedSpecifier(text: text, reason: "a .* prefix is a release (e.g. ==1.4.*)")
        }
        versionText = rest
        version = parsed
        self.wildcard = wildcard
    }

    public var description: String { op.rawValue + versionText + (wildcard ? ".*" : "") }

    /// Whether the clause itself names a pre-release (`>=2.0b1`), which lets pre-releases match (PEP 440).
    public var mentionsPreRelease: Bool {
        guard let version, op != .notEqual else { return false }
        return version.isPreRelease
    }

    /// Whether `candidate` satisfies the clause, pre-releases aside (``SpecifierSet`` applies that rule).
    public func contains(_ candidate: PEP440Version) -> Bool {
        if op == .arbitrary { return candidate.string.lowercased() == versionText.lowercased() }
        guard let version, candidate.isPEP440 else { return false }
        switch op {
        case .arbitrary: return false
        case .compatible:
            let prefix = Array(version.release.dropLast())
            return candidate.publicVersion >= version && Self.hasPrefix(candidate, epoch: version.epoch, release: prefix)
        case .equal: return equals(candidate, version)
        case .notEqual: return !equals(candidate, version)
        case .lessOrEqual: return candidate.publicVersion <= version
        case .greaterOrEqual: return candidate.publicVersion >= version
        case .less:
            guard candidate < version else { return false }
            // `<3.0` does not admit 3.0's own pre-releases unless it names one.
            if !version.isPreRelease, candidate.isPreRelease, candidate.baseVersion == version.baseVersion { return false }
            return true
        case .greater:
            guard candidate > version else { return false }
            // `>3.0` does not admit 3.0's post releases (unless it names one) nor its local versions.
            if version.postRelease == nil, candidate.postRelease != nil, candidate.baseVersion == version.baseVersion { return false }
            if candidate.local != nil, candidate.baseVersion == version.baseVersion { return false }
            return true
        }
    }

    private func equals(_ candidate: PEP440Version, _ version: PEP440Version) -> Bool {
        if wildcard { return Self.hasPrefix(candidate, epoch: version.epoch, release: version.release) }
        // Without a local label in the clause, the candidate's local label is ignored.
        return version.local == nil ? candidate.publicVersion == version : candidate == version
    }

    /// Whether the candidate's release, padded with zeros, starts with `release` (same epoch).
    private static func hasPrefix(_ candidate: PEP440Version, epoch: Int, release: [Int]) -> Bool {
        guard candidate.epoch == epoch else { return false }
        var own = candidate.release
        while own.count < release.count { own.append(0) }
        return Array(own.prefix(release.count)) == release
    }
}

/// A comma-separated list of clauses that must all hold (`>=1.0,<2`); empty matches every version.
public struct SpecifierSet: Sendable, Hashable, CustomStringConvertible {
    public let specifiers: [VersionSpecifier]

    /// Every version.
    public init() { specifiers = [] }

    public init(_ specifiers: [VersionSpecifier]) { self.specifiers = specifiers }

    /// Parses `>=1.0, <2`; an empty string is the empty set.
    public init(_ text: String) throws(PythonError) {
        var list: [VersionSpecifier] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let clause = String(part).trimmingASCIISpaces()
            if clause.isEmpty {
                if text.trimmingASCIISpaces().isEmpty { break }
                throw .malformedSpecifier(text: text, reason: "an empty clause between commas")
            }
            list.append(try VersionSpecifier(clause))
        }
        specifiers = list
    }

    public var description: String { specifiers.map(\.description).joined(separator: ",") }

    public var isEmpty: Bool { specifiers.isEmpty }

    /// Whether any clause names a pre-release, which lets pre-releases match.
    public var mentionsPreRelease: Bool { specifiers.contains(where: \.mentionsPreRelease) }

    /// Whether `version` satisfies every clause; pre-releases only when `preReleases` says so (nil: when a clause names one).
    public func contains(_ version: PEP440Version, preReleases: Bool? = nil) -> Bool {
        if version.isPreRelease, !(preReleases ?? mentionsPreRelease) { return false }
        return specifiers.allSatisfy { $0.contains(version) }
    }

    /// Both sets' clauses.
    public func intersection(_ other: SpecifierSet) -> SpecifierSet { SpecifierSet(specifiers + other.specifiers) }

    /// The version an `==V` (no wildcard) or `===V` clause pins, if there is one: PEP 592 lets such a pin pick a yanked file.
    public func pinned(_ version: PEP440Version) -> Bool {
        specifiers.contains { clause in
            switch clause.op {
            case .equal: return !clause.wildcard && clause.contains(version)
            case .arbitrary: return clause.contains(version)
            default: return false
            }
        }
    }
}

extension PEP440Version {
    /// The version without its local label (`1.0+abc` → `1.0`).
    public var publicVersion: PEP440Version {
        guard local != nil, let plain = try? PEP440Version(String(normalized.prefix { $0 != "+" })) else { return self }
        return plain
    }

    /// Epoch and release only (`1!2.0rc1.post3` → `1!2.0`).
    public var baseVersion: PEP440Version {
        guard isPEP440 else { return self }
        let text = (epoch != 0 ? "\(epoch)!" : "") + release.map(String.init).joined(separator: ".")
        return (try? PEP440Version(text)) ?? self
    }
}
