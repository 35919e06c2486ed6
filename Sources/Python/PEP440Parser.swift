/// A hand-written matcher for PEP 440's version pattern (the `packaging` regular expression), case-insensitive.
enum PEP440Parser {
    struct Parts {
        var epoch = 0
        var release: [Int] = []
        var pre: (kind: PEP440Version.PreReleaseKind, number: Int)?
        var post: Int?
        var dev: Int?
        var local: [PEP440Version.LocalSegment]?
    }

    /// The parts of `text`, or nil when it is not a PEP 440 version.
    static func parse(_ text: String) -> Parts? {
        var cursor = Cursor(Array(text.lowercased().utf8))
        var parts = Parts()
        _ = cursor.take("v")
        guard let first = cursor.number() else { return nil }
        if cursor.take("!") {
            parts.epoch = first
            guard let n = cursor.number() else { return nil }
            parts.release = [n]
        } else {
            parts.release = [first]
        }
        while cursor.peek == 0x2E, cursor.isDigit(at: cursor.position + 1) {
            cursor.position += 1
            guard let n = cursor.number() else { return nil }
            parts.release.append(n)
        }
        parts.pre = preRelease(&cursor)
        parts.post = postRelease(&cursor)
        if let dev = labelled(&cursor, labels: ["dev"]) { parts.dev = dev.number }
        if cursor.take("+") {
            guard let local = localLabel(&cursor) else { return nil }
            parts.local = local
        }
        return cursor.atEnd ? parts : nil
    }

    private static func preRelease(_ cursor: inout Cursor) -> (kind: PEP440Version.PreReleaseKind, number: Int)? {
        // Longer labels first, as the regular expression's alternation order does.
        guard let (label, number) = labelled(&cursor, labels: ["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"]) else { return nil }
        switch label {
        case "alpha", "a": return (.alpha, number)
        case "beta", "b": return (.beta, number)
        default: return (.candidate, number)
        }
    }

    private static func postRelease(_ cursor: inout Cursor) -> Int? {
        let start = cursor.position
        if cursor.take("-"), let n = cursor.number() { return n }
        cursor.position = start
        return labelled(&cursor, labels: ["post", "rev", "r"])?.number
    }

    /// `[-_.]? LABEL [-_.]? DIGITS?`; restores the cursor when no label follows.
    private static func labelled(_ cursor: inout Cursor, labels: [String]) -> (label: String, number: Int)? {
        let start = cursor.position
        cursor.skipSeparator()
        guard let label = labels.first(where: { cursor.take($0) }) else {
            cursor.position = start
            return nil
        }
        // Greedy like the pattern: a separator after the label is consumed even when no number follows;
        // nothing that can come next (post, dev, local) starts with digits, so this never loses a match.
        cursor.skipSeparator()
        return (label, cursor.number() ?? 0)
    }

    private static func localLabel(_ cursor: inout Cursor) -> [PEP440Version.LocalSegment]? {
        var segments: [PEP440Version.LocalSegment] = []
        while true {
            let start = cursor.position
            while let b = cursor.peek, cursor.isAlphanumeric(b) { cursor.position += 1 }
            guard cursor.position > start else { return nil }
            let text = String(decoding: cursor.bytes[start..<cursor.position], as: UTF8.self)
            if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(text) {
                segments.append(.number(n))
            } else {
                segments.append(.text(text))
            }
            guard let b = cursor.peek, b == 0x2D || b == 0x5F || b == 0x2E else { return segments }
            cursor.position += 1
        }
    }

    struct Cursor {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position >= bytes.count }
        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        func isDigit(at index: Int) -> Bool { index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 }
        func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) }

        /// Consumes `literal` if it comes next.
        mutating func take(_ literal: String) -> Bool {
            let utf8 = Array(literal.utf8)
            guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else { return false }
            position += utf8.count
            return true
        }

        mutating func skipSeparator() {
            if let b = peek, b == 0x2D || b == 0x5F || b == 0x2E { position += 1 }
        }

        /// A run of digits as a number; nil when none, or when it does not fit in an Int.
        mutating func number() -> Int? {
            let start = position
            while isDigit(at: position) { position += 1 }
            guard position > start else { return nil }
            guard let n = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
                position = start
                return nil
            }
            return n
        }
    }
}
