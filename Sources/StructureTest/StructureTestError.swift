/// Errors of `distill test` before or after the image runs: a test file that cannot be used, a regular expression
/// that does not compile, a report that cannot be written. (Failures to run the image are the runtime's `RuntimeError`.)
public enum StructureTestError: Error, Equatable, CustomStringConvertible {
    /// A structure-test file could not be read or parsed.
    case testFileInvalid(file: String, line: Int?, column: Int?, reason: String)
    /// A regular expression in a structure test does not compile.
    case invalidRegex(pattern: String, reason: String)
    /// The JUnit report could not be written.
    case report(path: String, reason: String)

    public var description: String {
        switch self {
        case .testFileInvalid(let file, let line, let column, let reason):
            var location = file
            if let line { location += ":\(line)" }
            if let column { location += ":\(column)" }
            return "\(location): \(reason)"
        case .invalidRegex(let pattern, let reason):
            return "'\(pattern)' is not a valid regular expression (\(reason)); structure tests use Go's RE2 syntax"
        case .report(let path, let reason):
            return "cannot write the JUnit report \(path): \(reason); check that its folder exists and is writable"
        }
    }
}
