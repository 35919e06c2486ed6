/// What can go wrong with Python packaging data, resolution, downloads and installation.
public enum PythonError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A version that is neither PEP 440 nor a legacy version string (e.g. empty).
    case malformedVersion(version: String, reason: String)
    /// A project name that PEP 508 does not allow.
    case malformedName(name: String)
    /// A version clause PEP 440 does not allow.
    case malformedSpecifier(text: String, reason: String)
    /// An environment marker PEP 508 does not allow; `context` says where it was written.
    case malformedMarker(text: String, reason: String, context: String?)
    /// A requirement PEP 508 does not allow.
    case malformedRequirement(text: String, reason: String, context: String?)
    /// A requirements file line distill cannot use.
    case requirementsFile(file: String, line: Int, reason: String)
    /// A file name that is not a wheel's.
    case malformedWheelFilename(filename: String, reason: String)
    /// A simple-repository page that cannot be read.
    case malformedIndex(url: String, reason: String)
    /// Core metadata that cannot be read.
    case malformedMetadata(file: String, reason: String)
    /// The index has no page for the project.
    case noSuchProject(name: String, index: String, requiredBy: String)
    /// No file of `version` installs on `platform` (only a source distribution, or wheels for others).
    case noWheel(project: String, version: String, platform: String, files: [String], requiredBy: String)
    /// No version satisfies every requirement on `project`; `constraints` each show the chain that asked for them.
    case conflict(project: String, constraints: [String], available: [String])
    /// The requirement's `--hash` values match no file the index lists for a version that would fit.
    case hashNotListed(project: String, hashes: [String], requiredBy: String)
    /// The resolver tried too many combinations.
    case tooComplex(tried: Int)
    /// A file whose bytes do not match the digest the index or the requirements file promised; nothing was kept.
    case digestMismatch(file: String, expected: String, actual: String, promisedBy: String)
    /// A download or cache failure, naming the file.
    case download(file: String, reason: String)
    /// A file the lock needs is not in the cache and the build is offline.
    case offlineMissing(file: String)
    /// A wheel that cannot be installed as PEP 427 describes.
    case malformedWheel(file: String, reason: String)
    /// Two wheels install the same file.
    case fileConflict(path: String, first: String, second: String)
    /// The lock's Python part does not fit the build.
    case lockMismatch(file: String, reason: String)

    /// The message without the kind of value it is about, for nesting in another message.
    public var reason: String {
        switch self {
        case .malformedVersion(_, let reason), .malformedSpecifier(_, let reason), .malformedMarker(_, let reason, _),
            .malformedRequirement(_, let reason, _), .requirementsFile(_, _, let reason), .malformedWheelFilename(_, let reason),
            .malformedIndex(_, let reason), .malformedMetadata(_, let reason), .malformedWheel(_, let reason), .download(_, let reason),
            .lockMismatch(_, let reason):
            return reason
        default: return description
        }
    }

    public var description: String {
        switch self {
        case .malformedVersion(let version, let reason):
            return "'\(version)' is not a Python version: \(reason); use a PEP 440 version such as 1.2.3 or 2.0rc1"
        case .malformedName(let name):
            return "'\(name)' is not a valid Python project name (letters, digits, '.', '-' and '_', starting and ending with a letter or digit)"
        case .malformedSpecifier(let text, let reason):
            return "'\(text)' is not a version specifier: \(reason); write clauses such as >=1.2,<2"
        case .malformedMarker(let text, let reason, let context):
            return "\(context.map { $0 + ": " } ?? "")marker '\(text)': \(reason)"
        case .malformedRequirement(let text, let reason, let context):
            return "\(context.map { $0 + ": " } ?? "")'\(text)' is not a PEP 508 requirement: \(reason)"
        case .requirementsFile(let file, let line, let reason):
            return "\(file)\(line > 0 ? ":\(line)" : ""): \(reason)"
        case .malformedWheelFilename(let filename, let reason):
            return "'\(filename)' is not a wheel file name: \(reason)"
        case .malformedIndex(let url, let reason):
            return "the index page \(url) cannot be read: \(reason); check index-url"
        case .malformedMetadata(let file, let reason):
            return "the metadata of \(file) cannot be read: \(reason)"
        case .noSuchProject(let name, let index, let requiredBy):
            return "no project '\(name)' on \(index) (required by \(requiredBy)); check the name and index-url"
        case .noWheel(let project, let version, let platform, let files, let requiredBy):
            let listed = files.isEmpty ? "no files" : files.sorted().prefix(6).joined(separator: ", ") + (files.count > 6 ? ", …" : "")
            return "no wheel of \(project) \(version) installs on \(platform) (required by \(requiredBy)); the index has \(listed). "
                + "distill installs wheels only and never compiles: pick a version with a matching wheel, or build one and serve it from your own index"
        case .conflict(let project, let constraints, let available):
            let versions = available.isEmpty ? "the index has no usable version" : "versions with a wheel: \(available.prefix(8).joined(separator: ", "))"
            return "no version of \(project) satisfies every requirement: \(constraints.joined(separator: "; ")) (\(versions)); loosen one of them"
        case .hashNotListed(let project, let hashes, let requiredBy):
            return "no file of \(project) that installs here has the sha256 \(requiredBy) gives with --hash (\(hashes.map { String($0.prefix(12)) + "…" }.joined(separator: ", "))); "
                + "the hash is for another file or version: update it from the index"
        case .tooComplex(let tried):
            return "gave up resolving after \(tried) tries; pin the main packages (==) in the requirements to narrow the search"
        case .digestMismatch(let file, let expected, let actual, let promisedBy):
            return "\(file) has sha256 \(actual), not the \(expected) \(promisedBy) promised; nothing was kept. The file or the index was tampered with, or the requirement's --hash is stale"
        case .download(let file, let reason):
            return "cannot get \(file): \(reason)"
        case .offlineMissing(let file):
            return "--offline, but \(file) is not in the cache; build once without --offline"
        case .malformedWheel(let file, let reason):
            return "the wheel \(file) cannot be installed: \(reason)"
        case .fileConflict(let path, let first, let second):
            return "\(first) and \(second) both install /\(path); they cannot be installed together"
        case .lockMismatch(let file, let reason):
            return "\(file) was made for \(reason); run with --update-lock to resolve again"
        }
    }
}
