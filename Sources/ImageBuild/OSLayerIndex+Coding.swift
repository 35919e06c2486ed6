import Foundation

/// The index is kept as one JSON string of lines, not a JSON object per path: a warm rebuild reads the OS
/// layer's ~2,500 paths in about a millisecond, where Foundation's keyed decoding took ~30 ms per architecture.
///
/// Line format (sorted by path): `path TAB kind TAB target TAB mode TAB uid TAB gid TAB from`, where `target` is
/// empty for none and `=` followed by the link target otherwise; `\`, tab and newline in text are written `\\`,
/// `\t` and `\n`. The first line names the format, so an older cache entry fails to decode and is rebuilt.
extension OSLayerIndex {
    static let codingHeader = "distill-os-index 1"

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let entries = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a \(Self.codingHeader) path index")
        }
        self.entries = entries
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(lines())
    }

    /// The index as text, one path a line.
    func lines() -> String {
        var out = Self.codingHeader + "\n"
        for path in entries.keys.sorted() {
            guard let entry = entries[path] else { continue }
            out += Self.escape(path) + "\t" + Self.escape(entry.kind) + "\t" + (entry.target.map { "=" + Self.escape($0) } ?? "")
            out += "\t\(entry.mode)\t\(entry.uid)\t\(entry.gid)\t" + Self.escape(entry.from) + "\n"
        }
        return out
    }

    /// The entries of `text`, or nil when any line is malformed.
    static func parse(_ text: String) -> [String: Entry]? {
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst(), String(decoding: header, as: UTF8.self) == codingHeader else { return nil }
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard fields.count == 7, let path = unescape(fields[0]), let kind = unescape(fields[1]), let from = unescape(fields[6]),
                let mode = UInt32(String(decoding: fields[3], as: UTF8.self)),
                let uid = Int64(String(decoding: fields[4], as: UTF8.self)),
                let gid = Int64(String(decoding: fields[5], as: UTF8.self))
            else { return nil }
            var target: String?
            if let marker = fields[2].first {
                guard marker == UInt8(ascii: "="), let text = unescape(fields[2].dropFirst()) else { return nil }
                target = text
            }
            entries[path] = Entry(kind: kind, target: target, mode: mode, uid: uid, gid: gid, from: from)
        }
        return entries
    }

    private static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") }) else { return text }
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private static func unescape(_ bytes: Substring.UTF8View) -> String? {
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaped = false
        for byte in bytes {
            if escaped {
                switch byte {
                case UInt8(ascii: "\\"): out.append(byte)
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                default: return nil
                }
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        return escaped ? nil : String(decoding: out, as: UTF8.self)
    }
}
