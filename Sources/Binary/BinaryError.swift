/// What can go wrong reading a native binary.
public enum BinaryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file does not start with the ELF magic.
    case notELF(file: String)
    /// The headers point outside the file or hold impossible values.
    case malformed(file: String, reason: String)
    /// The file cannot be opened or read.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case .notELF(let file): return "\(file) is not an ELF file"
        case .malformed(let file, let reason): return "\(file) is not a well-formed ELF file: \(reason)"
        case .unreadable(let file, let reason): return "cannot read \(file): \(reason)"
        }
    }
}
