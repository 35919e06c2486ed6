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
    /// An app entry would replace what the OS packages ship (`message` names both).
    case appConflict(file: String, message: String)
    /// An architecture distill cannot build, or one the build file does not list.
    case architecture(String, reason: String)
    /// A `SOURCE_DATE_EPOCH` or `--source-date-epoch` that is not a timestamp.
    case invalidSourceDateEpoch(String, reason: String)
    /// `distill why` named a package no configured suite has.
    case unknownPackage(String, reason: String)
    /// The entrypoint (or the interpreter its `#!` names) is missing or not executable in an architecture's image.
    case entrypoint(String)
    /// The Python dependencies cannot be resolved, locked or installed for an architecture.
    case pythonDependencies(String)
    /// A native library an ELF file needs is shipped by no package, or the file is for another architecture.
    case nativeLibraries(String)
    /// The image's user resolves to no uid.
    case invalidUser(file: String, user: String)
    /// `--variant` named a variant the build file does not have.
    case unknownVariant(file: String, name: String, known: String)
    /// Command-line options that cannot go together (`--output` with several variants).
    case conflictingOptions(String)
    /// A layer the image cannot do without came out empty.
    case emptyLayer(architecture: String, layer: String)

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
        case .appConflict(let file, let message):
            return "\(file): \(message)"
        case .architecture(let architecture, let reason):
            return "--arch \(architecture): \(reason)"
        case .invalidSourceDateEpoch(let value, let reason):
            return "\(value): \(reason)"
        case .unknownPackage(let name, let reason):
            return "no package '\(name)' \(reason)"
        case .entrypoint(let message), .pythonDependencies(let message), .nativeLibraries(let message):
            return message
        case .invalidUser(let file, let user):
            return "\(file): user '\(user)' is neither nonroot, root, nobody, a numeric uid[:gid], nor a user under accounts.users"
        case .unknownVariant(let file, let name, let known):
            return "\(file): no variant '\(name)'; \(known)"
        case .conflictingOptions(let message):
            return message
        case .emptyLayer(let architecture, let layer):
            return "\(architecture): the \(layer) has no files; this is a bug in distill, please report it with the build file"
        }
    }
}
