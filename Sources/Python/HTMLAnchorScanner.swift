/// Finds the `<a>` and `<base>` elements of a simple-repository page: just enough HTML for PEP 503
/// (attributes quoted or not, entities decoded, comments skipped), without a DOM.
struct HTMLAnchorScanner {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// The text inside `<a>…</a>`, entities decoded, tags dropped.
        var text: String
    }

    private let bytes: [UInt8]

    init(_ html: String) { bytes = Array(html.utf8) }

    func elements() -> [Element] {
        var result: [Element] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x3C else {
                i += 1
                continue
            }
            if starts("<!--", at: i) {
                i = find("-->", from: i + 4).map { $0 + 3 } ?? bytes.count
                continue
            }
            var j = i + 1
            while j < bytes.count, Self.isNameByte(bytes[j]) { j += 1 }
            let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self).lowercased()
            guard name == "a" || name == "base" else {
                i = j
                continue
            }
            let (attributes, end) = parseAttributes(from: j)
            i = end
            var text = ""
            if name == "a" {
                let close = findCaseInsensitive("</a", from: i) ?? bytes.count
                text = Self.decode(Self.stripTags(String(decoding: bytes[i..<close], as: UTF8.self)))
                i = close
            }
            result.append(Element(name: name, attributes: attributes, text: text))
        }
        return result
    }

    /// Attributes up to `>`; returns them and the index after `>`.
    private func parseAttributes(from start: Int) -> ([String: String], Int) {
        var attributes: [String: String] = [:]
        var i = start
        func skipBlanks() { while i < bytes.count, Self.isBlank(bytes[i]) || bytes[i] == 0x2F { i += 1 } }
        while true {
            skipBlanks()
            guard i < bytes.count else { return (attributes, i) }
            if bytes[i] == 0x3E { return (attributes, i + 1) }
            let nameStart = i
            while i < bytes.count, !Self.isBlank(bytes[i]), bytes[i] != 0x3D, bytes[i] != 0x3E { i += 1 }
            let name = String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased()
            while i < bytes.count, Self.isBlank(bytes[i]) { i += 1 }
            var value = ""
            if i < bytes.count, bytes[i] == 0x3D {
                i += 1
                while i < bytes.count, Self.isBlank(bytes[i]) { i += 1 }
                if i < bytes.count, bytes[i] == 0x22 || bytes[i] == 0x27 {
                    let quote = bytes[i]
                    let valueStart = i + 1
                    i = valueStart
                    while i < bytes.count, bytes[i] != quote { i += 1 }
                    value = String(decoding: bytes[valueStart..<min(i, bytes.count)], as: UTF8.self)
                    // Past the closing quote; an unterminated value ends the page (never past its end).
                    if i < bytes.count { i += 1 }
                } else {
                    let valueStart = i
                    while i < bytes.count, !Self.isBlank(bytes[i]), bytes[i] != 0x3E { i += 1 }
                    value = String(decoding: bytes[valueStart..<i], as: UTF8.self)
                }
            }
            if !name.isEmpty, attributes[name] == nil { attributes[name] = Self.decode(value) }
        }
    }

    private func starts(_ literal: String, at index: Int) -> Bool {
        let utf8 = Array(literal.utf8)
        return index + utf8.count <= bytes.count && Array(bytes[index..<index + utf8.count]) == utf8
    }

    private func find(_ literal: String, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x2D, starts(literal, at: i) { return i }
            i += 1
        }
        return nil
    }

    private func findCaseInsensitive(_ literal: String, from start: Int) -> Int? {
        let utf8 = Array(literal.lowercased().utf8)
        var i = start
        while i + utf8.count <= bytes.count {
            if bytes[i] == utf8[0], bytes[i..<i + utf8.count].map({ $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }) == utf8 { return i }
            i += 1
        }
        return nil
    }

    private static func isNameByte(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }

    private static func stripTags(_ text: String) -> String {
        var out = ""
        var inTag = false
        for c in text {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return out
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&#39;` `&#x27;` and other numeric references.
    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let entity = String(after[..<semicolon])
            var replacement: String?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                replacement = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if entity.hasPrefix("#") {
                replacement = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else {
                replacement = named[entity]
            }
            if let replacement {
                out += replacement
                rest = after[after.index(after: semicolon)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }
}
