/// What can go wrong with Python packaging data.
public enum PythonError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A version that is neither PEP 440 nor a legacy version string (e.g. empty).
    case malformedVersion(version: String, reason: String)
    /// A project name that PEP 508 does not allow.
    case malformedName(name: String)

    public var description: String {
        switch self {
        case .malformedVersion(let version, let reason):
            return "'\(version)' is not a Python version: \(reason); use a PEP 440 version such as 1.2.3 or 2.0rc1"
        case .malformedName(let name):
            return "'\(name)' is not a valid Python project name (letters, digits, '.', '-' and '_', starting and ending with a letter or digit)"
        }
    }
}
