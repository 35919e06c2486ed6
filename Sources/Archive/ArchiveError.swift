/// Errors from reading, writing or extracting archives. Each names the archive and, where known, the entry.
public enum ArchiveError: Error, CustomStringConvertible, Equatable {
    /// libarchive could not read `archive` (truncated, corrupt, or not an archive at all).
    case malformed(archive: String, reason: String)
    /// An entry name that would escape the root (`..` or an absolute path after normalization).
    case unsafePath(archive: String, entry: String)
    /// A symlink on the way to `entry` points outside the root.
    case symlinkEscape(archive: String, entry: String, link: String, target: String)
    /// Writing `path` failed.
    case writeFailed(path: String, reason: String)
    /// Reading `path` failed.
    case readFailed(path: String, reason: String)
    /// A compressor or tar writer failed.
    case encodingFailed(what: String, reason: String)
    /// A required member (e.g. `data.tar.*` of a .deb) is missing.
    case missingMember(archive: String, member: String)
    /// A hard link whose target is outside the root, missing, or not something that can be linked.
    case badHardlink(archive: String, entry: String, target: String, reason: String)
    /// An entry that cannot be applied over what earlier entries or layers left (e.g. a file where a directory is needed).
    case conflict(archive: String, entry: String, reason: String)
    /// Resolving `entry` met more than 40 symlinks, a loop.
    case symlinkLoop(archive: String, entry: String)
    /// Unpacking `entry` would take the archive past the ``UnpackLimit`` (a decompression bomb, or a huge image).
    case unpackLimit(archive: String, entry: String, limit: String)

    public var description: String {
        switch self {
        case .malformed(let archive, let reason):
            return "\(archive): not a readable archive (\(reason)); it may be truncated or corrupt — fetch it again"
        case .unsafePath(let archive, let entry):
            return "\(archive): entry '\(entry)' would be written outside the destination; refusing it (the archive is broken or hostile)"
        case .symlinkEscape(let archive, let entry, let link, let target):
            return "\(archive): entry '\(entry)' goes through symlink '\(link)' -> '\(target)', which leaves the root; refusing it (the archive is broken or hostile)"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .readFailed(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .encodingFailed(let what, let reason):
            return "\(what) failed: \(reason)"
        case .missingMember(let archive, let member):
            return "\(archive): has no \(member) member"
        case .badHardlink(let archive, let entry, let target, let reason):
            return "\(archive): hard link '\(entry)' -> '\(target)' \(reason); refusing it"
        case .conflict(let archive, let entry, let reason):
            return "\(archive): cannot apply entry '\(entry)': \(reason)"
        case .symlinkLoop(let archive, let entry):
            return "\(archive): entry '\(entry)' goes through too many symlinks (a loop?); refusing it"
        case .unpackLimit(let archive, let entry, let limit):
            return "\(archive): entry '\(entry)' unpacks past the limit of \(limit) (a decompression bomb?); refusing it — "
                + "if the archive is genuine, raise the limit with \(UnpackLimit.environmentVariable)=64G"
        }
    }
}
