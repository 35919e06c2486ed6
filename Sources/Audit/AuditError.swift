import Foundation

/// Errors from inspecting or checking an image; each names the file, line or value at fault.
public enum AuditError: Error, CustomStringConvertible {
    /// The ignore file is malformed.
    case ignoreFile(file: String, line: Int?, column: Int?, reason: String)
    /// An output format the command does not write.
    case unknownFormat(String, expected: [String])
    /// A report could not be encoded.
    case encoding(what: String, reason: String)

    public var description: String {
        switch self {
        case .ignoreFile(let file, let line, let column, let reason):
            let place = line.map { "\(file):\($0):\(column ?? 1)" } ?? file
            return "\(place): \(reason)"
        case .unknownFormat(let name, let expected):
            return "unknown format '\(name)'; use one of: \(expected.joined(separator: ", "))"
        case .encoding(let what, let reason):
            return "cannot encode \(what): \(reason)"
        }
    }
}
