import ContainerRuntime
import Foundation

/// A regular expression written for Go's `regexp` (RE2 syntax), as container-structure-test uses,
/// evaluated with Foundation's NSRegularExpression (ICU).
///
/// Differences bridged here:
/// - Go's `$` without the `m` flag matches only at the very end of the text; ICU's also matches before
///   a final newline. Unescaped `$` outside character classes becomes `\z` unless the pattern turns on
///   multi-line mode (then ICU's `$` with `anchorsMatchLines` already agrees with Go's).
/// - Go's named groups `(?P<name>…)` are written `(?<name>…)` in ICU.
/// - Only `\n` ends a line, as in Go (ICU would also stop `.` at `\r` and U+2028).
/// Remaining differences: ICU accepts some syntax RE2 rejects (backreferences, lookaround), `\b` and
/// `\w` are Unicode-aware in ICU but ASCII in Go, and invalid UTF-8 is matched as U+FFFD by both.
public struct GoRegex: Sendable {
    /// The pattern as written in the test file.
    public let pattern: String
    private let expression: NSRegularExpression

    /// Compiles `pattern`; throws a message naming the pattern when it is invalid.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        do {
            expression = try NSRegularExpression(
                pattern: Self.translate(pattern), options: [.useUnixLineSeparators])
        } catch {
            throw StructureTestError.invalidRegex(pattern: pattern, reason: (error as NSError).localizedDescription)
        }
    }

    /// Whether the pattern matches anywhere in `text` (Go's `MatchString`).
    public func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Rewrites the RE2 constructs whose meaning differs in ICU.
    static func translate(_ pattern: String) -> String {
        let multiline = pattern.range(of: #"\(\?[a-zA-Z]*m[a-zA-Z]*[:)]"#, options: .regularExpression) != nil
        var output = ""
        var characters = Array(pattern)[...]
        var inClass = false
        while let character = characters.popFirst() {
            switch character {
            case "\\":
                output.append(character)
                if let next = characters.popFirst() { output.append(next) }
            case "[" where !inClass:
                inClass = true
                output.append(character)
                // A `]` right after `[` or `[^` is a literal member, not the end of the class.
                if characters.first == "^" { output.append(characters.removeFirst()) }
                if characters.first == "]" { output.append(characters.removeFirst()) }
            case "[" where inClass && characters.first == ":":
                // POSIX class like [:alpha:] inside a set: copy through to its closing ":]".
                output.append(character)
                while let inner = characters.popFirst() {
                    output.append(inner)
                    if inner == ":" && characters.first == "]" {
                        output.append(characters.removeFirst())
                        break
                    }
                }
            case "]" where inClass:
                inClass = false
                output.append(character)
            case "$" where !inClass && !multiline:
                output += "\\z"
            case "(" where !inClass && characters.starts(with: "?P<"):
                characters.removeFirst(2)
                output += "(?"
            default:
                output.append(character)
            }
        }
        return output
    }
}
