/// Errors from reading a build file or building an image; each says where and what to do.
public enum BuildError: Error, CustomStringConvertible {
    /// A problem at a position of the build file.
    case buildFile(file: String, line: Int, column: Int, message: String)
    /// The build file could not be read at all.
    case unreadable(file: String, reason: String)
    /// A problem with an `app:` entry's source.
    case appSource(path: String, reason: String)
    /// A feature the build file asks for that this version does not build.
    case unsupported(file: String, line: Int, column: Int, feature: String)
    /// Anything else about the build, said plainly.
    case failed(String)

    public var description: String {
        switch self {
        case .buildFile(let file, let line, let column, let message):
            return "\(file):\(line):\(column): \(message)"
        case .unreadable(let file, let reason):
            return "cannot read build file \(file): \(reason)"
        case .appSource(let path, let reason):
            return "app source \(path): \(reason)"
        case .unsupported(let file, let line, let column, let feature):
            return "\(file):\(line):\(column): \(feature) is not supported by this version of distill"
        case .failed(let message):
            return message
        }
    }
}
