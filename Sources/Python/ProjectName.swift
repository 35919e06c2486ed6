/// A Python project name in its PEP 503 normalised form: `Foo.Bar_baz` and `foo-bar-baz` are the same project.
public struct ProjectName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Lower case, every run of `-`, `_` and `.` replaced by one `-`.
    public let normalized: String

    /// Normalises `name`; throws for an empty name or characters PEP 508 does not allow in one.
    public init(_ name: String) throws(PythonError) {
        let trimmed = name.trimmingASCIISpaces()
        guard let first = trimmed.utf8.first, let last = trimmed.utf8.last, Self.isAlphanumeric(first), Self.isAlphanumeric(last),
            trimmed.utf8.allSatisfy({ Self.isAlphanumeric($0) || Self.isSeparator($0) })
        else { throw .malformedName(name: name) }
        normalized = Self.normalize(trimmed)
    }

    /// PEP 503's `re.sub(r"[-_.]+", "-", name).lower()`, for any string (no validation).
    public static func normalize(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        var inSeparator = false
        for byte in name.utf8 {
            if isSeparator(byte) {
                if !inSeparator { out.append(0x2D) }
                inSeparator = true
            } else {
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                inSeparator = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { normalized }

    public static func < (lhs: ProjectName, rhs: ProjectName) -> Bool { lhs.normalized < rhs.normalized }

    private static func isSeparator(_ b: UInt8) -> Bool { b == 0x2D || b == 0x5F || b == 0x2E }
    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}

extension String {
    /// Without leading and trailing ASCII blanks.
    func trimmingASCIISpaces() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C }
        while start < end && blank(bytes[start]) { start += 1 }
        while end > start && blank(bytes[end - 1]) { end -= 1 }
        return start == 0 && end == bytes.count ? self : String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
