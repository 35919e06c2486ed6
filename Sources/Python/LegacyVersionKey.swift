/// The sort key setuptools (and `packaging` before 22) gave versions that are not PEP 440.
///
/// Numbers are zero-padded so they compare as numbers, words get a `*` prefix, `pre`/`preview`/`rc`
/// become `c` and `dev` becomes `@` so they sort before a final release, and trailing zeros of each
/// numeric run are dropped.
enum LegacyVersionKey {
    static func key(_ version: String) -> [String] {
        var parts: [String] = []
        for part in components(version.lowercased()) {
            if part.hasPrefix("*") {
                // Drop the "-" that leads into a pre-release tag.
                if part < "*final" {
                    while parts.last == "*final-" { parts.removeLast() }
                }
                while parts.last == "00000000" { parts.removeLast() }
            }
            parts.append(part)
        }
        return parts
    }

    private static let replacements = ["pre": "c", "preview": "c", "-": "final-", "rc": "c", "dev": "@"]

    /// Splits into digit runs, letter runs, `.` and `-` (everything else stays as it is), mapped as setuptools did.
    private static func components(_ text: String) -> [String] {
        var raw: [String] = []
        var current: [UInt8] = []
        var currentKind = -1  // 0 other, 1 digits, 2 letters
        func flush() {
            if !current.isEmpty { raw.append(String(decoding: current, as: UTF8.self)) }
            current = []
            currentKind = -1
        }
        for b in text.utf8 {
            let kind = (b >= 0x30 && b <= 0x39) ? 1 : (b >= 0x61 && b <= 0x7A) ? 2 : (b == 0x2E || b == 0x2D) ? 3 : 0
            if kind == 3 {
                flush()
                raw.append(String(UnicodeScalar(b)))
            } else {
                if kind != currentKind { flush() }
                current.append(b)
                currentKind = kind
            }
        }
        flush()
        var out: [String] = []
        for piece in raw {
            let mapped = replacements[piece] ?? piece
            if mapped.isEmpty || mapped == "." { continue }
            if let first = mapped.utf8.first, first >= 0x30 && first <= 0x39 {
                out.append(String(repeating: "0", count: max(0, 8 - mapped.count)) + mapped)
            } else {
                out.append("*" + mapped)
            }
        }
        out.append("*final")
        return out
    }
}
