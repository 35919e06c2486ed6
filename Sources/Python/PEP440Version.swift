/// A Python package version, ordered as PEP 440 (and the `packaging` library) orders them.
///
/// Strings PEP 440 cannot parse (`0.1-bulbasaur`) are kept as legacy versions, ordered by setuptools'
/// old rules and always before every PEP 440 version, so that advisories naming such releases still
/// compare. Equality is PEP 440's: `1.0` equals `1.0.0` and `1.0.post0` equals `1.0-0`.
public struct PEP440Version: Sendable, Comparable, Hashable, CustomStringConvertible {
    /// A pre-release phase, in its normalised spelling.
    public enum PreReleaseKind: Int, Sendable, Comparable, Hashable {
        case alpha = 0, beta, candidate

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        /// `a`, `b` or `rc`.
        public var label: String {
            switch self {
            case .alpha: return "a"
            case .beta: return "b"
            case .candidate: return "rc"
            }
        }
    }

    /// One dot-separated part of a local version label: numbers sort after strings.
    public enum LocalSegment: Sendable, Hashable, Comparable {
        case text(String)
        case number(Int)

        public static func < (lhs: Self, rhs: Self) -> Bool {
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)): return a < b
            case (.text(let a), .text(let b)): return a < b
            case (.text, .number): return true
            case (.number, .text): return false
            }
        }
    }

    /// The version as written.
    public let string: String
    public let epoch: Int
    /// The release numbers (`1.2.3` → `[1, 2, 3]`); empty for a legacy version.
    public let release: [Int]
    public let preRelease: (kind: PreReleaseKind, number: Int)?
    public let postRelease: Int?
    public let devRelease: Int?
    /// The local label's segments (`+ubuntu.1`), nil when there is none.
    public let local: [LocalSegment]?
    /// setuptools' legacy sort key when the string is not PEP 440; nil for a PEP 440 version.
    public let legacyKey: [String]?

    /// Parses `string` as PEP 440, falling back to a legacy version; throws only for an empty string.
    public init(_ string: String) throws(PythonError) {
        let trimmed = string.trimmingASCIISpaces()
        guard !trimmed.isEmpty else { throw .malformedVersion(version: string, reason: "it is empty") }
        self.string = trimmed
        if let parts = PEP440Parser.parse(trimmed) {
            epoch = parts.epoch
            release = parts.release
            preRelease = parts.pre
            postRelease = parts.post
            devRelease = parts.dev
            local = parts.local
            legacyKey = nil
        } else {
            epoch = -1
            release = []
            preRelease = nil
            postRelease = nil
            devRelease = nil
            local = nil
            legacyKey = LegacyVersionKey.key(trimmed)
        }
    }

    /// True when the string follows PEP 440 (not a legacy version).
    public var isPEP440: Bool { legacyKey == nil }

    /// True for alpha, beta, candidate and development releases.
    public var isPreRelease: Bool { preRelease != nil || devRelease != nil }

    public var description: String { string }

    /// The canonical spelling (`1.0-RC.1` → `1.0rc1`); the original string for a legacy version.
    public var normalized: String {
        guard isPEP440 else { return string }
        var out = epoch != 0 ? "\(epoch)!" : ""
        out += release.map(String.init).joined(separator: ".")
        if let preRelease { out += preRelease.kind.label + String(preRelease.number) }
        if let postRelease { out += ".post\(postRelease)" }
        if let devRelease { out += ".dev\(devRelease)" }
        if let local {
            out += "+" + local.map { segment in
                switch segment {
                case .number(let n): return String(n)
                case .text(let t): return t
                }
            }.joined(separator: ".")
        }
        return out
    }

    // MARK: ordering (packaging's _cmpkey)

    public static func < (lhs: Self, rhs: Self) -> Bool { compare(lhs, rhs) < 0 }
    public static func == (lhs: Self, rhs: Self) -> Bool { compare(lhs, rhs) == 0 }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(normalizedKeyString)
    }

    /// A string equal for equal versions (trailing release zeros dropped), for hashing.
    private var normalizedKeyString: String {
        if let legacyKey { return "legacy:" + legacyKey.joined(separator: "|") }
        var trimmed = release
        while trimmed.count > 1, trimmed.last == 0 { trimmed.removeLast() }
        var copy = "\(epoch)!" + trimmed.map(String.init).joined(separator: ".")
        if let preRelease { copy += preRelease.kind.label + String(preRelease.number) }
        if let postRelease { copy += ".post\(postRelease)" }
        if let devRelease { copy += ".dev\(devRelease)" }
        if let local { copy += "+" + local.map { "\($0)" }.joined(separator: ".") }
        return copy
    }

    /// Three-way comparison: negative, zero or positive.
    public static func compare(_ a: Self, _ b: Self) -> Int {
        switch (a.legacyKey, b.legacyKey) {
        case (let x?, let y?): return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
        case (.some, nil): return -1
        case (nil, .some): return 1
        case (nil, nil): break
        }
        if a.epoch != b.epoch { return a.epoch < b.epoch ? -1 : 1 }
        let count = max(a.release.count, b.release.count)
        for i in 0..<count {
            let x = i < a.release.count ? a.release[i] : 0
            let y = i < b.release.count ? b.release[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        let pre = compareOptional(a.preKey, b.preKey)
        if pre != 0 { return pre }
        // No post release sorts before any post release.
        let post = compareOptional(a.postRelease.map { Bound.value($0) } ?? .minimum, b.postRelease.map { Bound.value($0) } ?? .minimum)
        if post != 0 { return post }
        // No dev release sorts after any dev release.
        let dev = compareOptional(a.devRelease.map { Bound.value($0) } ?? .maximum, b.devRelease.map { Bound.value($0) } ?? .maximum)
        if dev != 0 { return dev }
        switch (a.local, b.local) {
        case (nil, nil): return 0
        case (nil, .some): return -1
        case (.some, nil): return 1
        case (let x?, let y?): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
        }
    }

    /// A development release without a pre-release sorts before every pre-release of its release;
    /// a final (or post) release after them.
    private var preKey: Bound<PreKey> {
        if let preRelease { return .value(PreKey(kind: preRelease.kind, number: preRelease.number)) }
        if postRelease == nil && devRelease != nil { return .minimum }
        return .maximum
    }

    private struct PreKey: Comparable {
        var kind: PreReleaseKind
        var number: Int
        static func < (l: Self, r: Self) -> Bool { (l.kind, l.number) < (r.kind, r.number) }
    }

    private enum Bound<T: Comparable>: Comparable {
        case minimum
        case value(T)
        case maximum
    }

    private static func compareOptional<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
}
