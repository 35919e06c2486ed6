/// A Debian package version (`[epoch:]upstream[-revision]`), ordered exactly as dpkg orders them.
///
/// Equality is dpkg's: `1.0` equals `0:1.0-0` and `1.01` equals `1.1`. The original spelling is kept in ``string``.
public struct DebianVersion: Sendable, Comparable, CustomStringConvertible, Codable {
    /// The version as written.
    public let string: String
    public let epoch: Int
    public let upstream: String
    /// Empty when the version has no `-revision`.
    public let revision: String

    /// Parses a version; throws for an empty upstream part, a non-numeric epoch or characters dpkg refuses.
    public init(_ string: String) throws(DebianError) {
        let trimmed = string.trimmingBlanks()
        guard !trimmed.isEmpty else { throw .malformedVersion(version: string, reason: "it is empty") }
        var rest = Substring(trimmed)
        var epoch = 0
        if let colon = rest.firstIndex(of: ":") {
            let epochText = rest[..<colon]
            guard !epochText.isEmpty, epochText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(epochText),
                value <= Int(Int32.max)
            else {
                throw .malformedVersion(version: string, reason: "epoch '\(epochText)' is not a number")
            }
            epoch = value
            rest = rest[rest.index(after: colon)...]
        }
        var revision = Substring("")
        if let dash = rest.lastIndex(of: "-") {
            revision = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
            guard !revision.isEmpty else { throw .malformedVersion(version: string, reason: "revision after '-' is empty") }
        }
        guard !rest.isEmpty else { throw .malformedVersion(version: string, reason: "upstream version is empty") }
        for byte in rest.utf8 where !Self.isUpstreamCharacter(byte) {
            throw .malformedVersion(version: string, reason: "invalid character '\(Character(Unicode.Scalar(byte)))' in upstream version")
        }
        for byte in revision.utf8 where !Self.isRevisionCharacter(byte) {
            throw .malformedVersion(version: string, reason: "invalid character '\(Character(Unicode.Scalar(byte)))' in revision")
        }
        self.string = trimmed
        self.epoch = epoch
        self.upstream = String(rest)
        self.revision = String(revision)
    }

    public var description: String { string }

    /// dpkg's three-way comparison: negative, zero or positive.
    public static func compare(_ lhs: DebianVersion, _ rhs: DebianVersion) -> Int {
        if lhs.epoch != rhs.epoch { return lhs.epoch < rhs.epoch ? -1 : 1 }
        let upstream = compareFragment(lhs.upstream, rhs.upstream)
        if upstream != 0 { return upstream }
        return compareFragment(lhs.revision, rhs.revision)
    }

    public static func < (lhs: DebianVersion, rhs: DebianVersion) -> Bool { compare(lhs, rhs) < 0 }
    public static func == (lhs: DebianVersion, rhs: DebianVersion) -> Bool { compare(lhs, rhs) == 0 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }

    // MARK: dpkg's verrevcmp

    /// Sort weight of a non-digit byte: `~` before the end of the string, letters before other symbols.
    @inline(__always)
    private static func weight(_ byte: UInt8?) -> Int {
        guard let byte else { return 0 }
        if isDigit(byte) { return 0 }
        if isLetter(byte) { return Int(byte) }
        if byte == 0x7E { return -1 }
        return Int(byte) + 256
    }

    private static func compareFragment(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { a in
            b.withUTF8 { b in compareBytes(a, b) }
        }
    }

    private static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        var j = 0
        func at(_ buffer: UnsafeBufferPointer<UInt8>, _ k: Int) -> UInt8? { k < buffer.count ? buffer[k] : nil }
        while i < a.count || j < b.count {
            // Non-digit prefix, compared byte by byte by weight.
            while (i < a.count && !isDigit(a[i])) || (j < b.count && !isDigit(b[j])) {
                let wa = weight(i < a.count && !isDigit(a[i]) ? a[i] : nil)
                let wb = weight(j < b.count && !isDigit(b[j]) ? b[j] : nil)
                if wa != wb { return wa - wb }
                if i < a.count && !isDigit(a[i]) { i += 1 }
                if j < b.count && !isDigit(b[j]) { j += 1 }
            }
            // Numeric part, compared as a number of any length.
            while i < a.count && a[i] == 0x30 { i += 1 }
            while j < b.count && b[j] == 0x30 { j += 1 }
            var firstDifference = 0
            while let x = at(a, i), let y = at(b, j), isDigit(x), isDigit(y) {
                if firstDifference == 0 { firstDifference = Int(x) - Int(y) }
                i += 1
                j += 1
            }
            if let x = at(a, i), isDigit(x) { return 1 }
            if let y = at(b, j), isDigit(y) { return -1 }
            if firstDifference != 0 { return firstDifference }
        }
        return 0
    }

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    private static func isUpstreamCharacter(_ b: UInt8) -> Bool {
        isDigit(b) || isLetter(b) || b == 0x2E || b == 0x2B || b == 0x7E || b == 0x2D || b == 0x3A
    }

    private static func isRevisionCharacter(_ b: UInt8) -> Bool {
        isDigit(b) || isLetter(b) || b == 0x2E || b == 0x2B || b == 0x7E
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" || f == "\r\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" || l == "\r\n" { s = s.dropLast() }
        return s.count == self.count ? self : String(s)
    }
}
