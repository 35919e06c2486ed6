import Foundation

/// Image names and references are input from whoever named the file or image: every renderer passes them
/// through here, so a name can neither drive a terminal nor become markup.
public enum Escaping {
    /// For a terminal: control characters (escape sequences, carriage returns) and bidirectional overrides become `?`.
    public static func terminal(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { isUnsafe($0) ? "?" : $0 }))
    }

    /// For HTML text and attribute values: `& < > " '` as entities, control characters dropped.
    public static func html(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                if isUnsafe(scalar) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// For a markdown table cell: emphasis, code, link brackets and the cell separator backslash-escaped (CommonMark
    /// allows it for any ASCII punctuation; without `[` there is no link or image), `<`, `>` and `&` as entities so
    /// no HTML or autolink gets through, line breaks and controls dropped.
    public static func markdown(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "|", "~":
                result += "\\"
                result.unicodeScalars.append(scalar)
            default:
                if isUnsafe(scalar) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate characters.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            || value == 0x200E || value == 0x200F
    }
}
