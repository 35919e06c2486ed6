import ContainerRuntime
import Foundation

/// The expected/excluded regex lists shared by file content and command tests.
enum RegexChecks {
    /// One message per pattern that is missing (expected) or present (excluded), or that does not compile.
    static func check(expected: [String], excluded: [String], in text: String, what: String) -> [String] {
        var failures: [String] = []
        for pattern in expected {
            do {
                if !(try GoRegex(pattern).matches(text)) {
                    failures.append("expected '\(pattern)' not found in \(what)\(quote(text))")
                }
            } catch {
                failures.append("\(error)")
            }
        }
        for pattern in excluded {
            do {
                if try GoRegex(pattern).matches(text) {
                    failures.append("excluded '\(pattern)' found in \(what)\(quote(text))")
                }
            } catch {
                failures.append("\(error)")
            }
        }
        return failures
    }

    /// A short excerpt of the text, in quotes, for the failure message.
    private static func quote(_ text: String) -> String {
        if text.isEmpty { return " (it is empty)" }
        let flat = text.replacingOccurrences(of: "\n", with: "\\n")
        return flat.count > 200 ? ": \"\(flat.prefix(200))…\"" : ": \"\(flat)\""
    }
}
