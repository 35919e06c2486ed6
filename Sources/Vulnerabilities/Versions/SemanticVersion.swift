import Foundation

/// A Semantic Versioning 2.0 version as Go modules and OSV SEMVER ranges use it, compared leniently.
///
/// A leading `v` (Go's spelling) is ignored, missing minor and patch numbers are 0, numbers may be of
/// any length, build metadata (`+…`) and anything after the third number that is not a pre-release
/// is ignored for ordering.
public struct SemanticVersion: Sendable, Comparable, Hashable, CustomStringConvertible {
    /// The version as written.
    public let string: String
    /// Major, minor and patch as digit strings without leading zeros.
    public let core: [String]
    /// The pre-release identifiers (`1.0.0-rc.1` → `["rc", "1"]`); empty for a release.
    public let preRelease: [String]

    /// Parses `text`; nil when it does not start with a number (after an optional `v`).
    public init?(_ text: String) {
        var bytes = Substring(text.trimmingCharacters(in: .whitespaces))
        string = String(bytes)
        if bytes.first == "v" || bytes.first == "V" { bytes = bytes.dropFirst() }
        var numbers: [String] = []
        var rest = bytes
        while numbers.count < 3 {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { break }
            let trimmed = digits.drop { $0 == "0" }
            numbers.append(trimmed.isEmpty ? "0" : String(trimmed))
            rest = rest.dropFirst(digits.count)
            if numbers.count < 3, rest.first == ".", rest.dropFirst().first?.isNumber == true {
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !numbers.isEmpty else { return nil }
        while numbers.count < 3 { numbers.append("0") }
        core = numbers
        if rest.first == "-" {
            let body = rest.dropFirst().prefix { $0 != "+" }
            preRelease = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        } else {
            preRelease = []
        }
    }

    public var description: String { string }

    public static func < (lhs: Self, rhs: Self) -> Bool { compare(lhs, rhs) < 0 }
    public static func == (lhs: Self, rhs: Self) -> Bool { compare(lhs, rhs) == 0 }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(core)
        hasher.combine(preRelease)
    }

    /// Three-way comparison: negative, zero or positive.
    public static func compare(_ a: Self, _ b: Self) -> Int {
        for (x, y) in zip(a.core, b.core) {
            let c = compareNumbers(x, y)
            if c != 0 { return c }
        }
        // A release sorts after its pre-releases.
        switch (a.preRelease.isEmpty, b.preRelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): break
        }
        for (x, y) in zip(a.preRelease, b.preRelease) {
            let c = compareIdentifiers(x, y)
            if c != 0 { return c }
        }
        return a.preRelease.count == b.preRelease.count ? 0 : (a.preRelease.count < b.preRelease.count ? -1 : 1)
    }

    /// Numeric identifiers compare as numbers and before alphanumeric ones, which compare in ASCII order.
    private static func compareIdentifiers(_ x: String, _ y: String) -> Int {
        let xNumeric = !x.isEmpty && x.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        let yNumeric = !y.isEmpty && y.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        switch (xNumeric, yNumeric) {
        case (true, true): return compareNumbers(String(x.drop { $0 == "0" }), String(y.drop { $0 == "0" }))
        case (true, false): return -1
        case (false, true): return 1
        case (false, false): return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x == y ? 0 : 1)
        }
    }

    /// Digit strings without leading zeros: the longer is larger, else the first differing digit decides.
    private static func compareNumbers(_ x: String, _ y: String) -> Int {
        if x.utf8.count != y.utf8.count { return x.utf8.count < y.utf8.count ? -1 : 1 }
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x == y ? 0 : 1)
    }
}
