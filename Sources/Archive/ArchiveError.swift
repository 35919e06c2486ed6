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

    public var description: String {
        switch self {
        case .malformed(let archive, let reason):
            return "\(archive): not a readable archive (\(reason)); it may be truncated or corrupt"
        case .unsafePath(let archive, let entry):
            return "\(archive): entry '\(entry)' would be written outside the destination; refusing it"
        case .symlinkEscape(let archive, let entry, let link, let target):
            return "\(archive): entry '\(entry)' goes through symlink '\(link)' -> '\(target)', which leaves the root; refusing it"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .readFailed(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .encodingFailed(let what, let reason):
            return "\(what) failed: \(reason)"
        case .missingMember(let archive, let member):
            return "\(archive): has no \(member) member"
        }
    }
}
