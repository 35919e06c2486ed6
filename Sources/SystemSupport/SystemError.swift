#if canImport(Glibc)
    import Glibc
#endif

/// A failed operating-system call, with the path it concerned and what to do about it.
public enum SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call on `path` failed with `errno`.
    case call(_ name: String, path: String, errno: Int32)
    /// A scratch directory is not private (another owner, or group/other permissions).
    case notPrivate(path: String, reason: String)
    /// A helper program could not be started or its output not collected.
    case spawn(executable: String, reason: String)
    /// Removal stopped at a mount point instead of deleting through it.
    case mountPointInTree(path: String)

    public var description: String {
        switch self {
        case .call(let name, let path, let code):
            let hint = code == EACCES || code == EPERM ? " (permission denied: distill needs root for this, or a directory you own)" : ""
            return "\(path): \(name) failed: \(String(cString: strerror(code)))\(hint)"
        case .notPrivate(let path, let reason):
            return "\(path) is not a private directory (\(reason)); refusing to use it — remove it or set TMPDIR to a directory only you can write"
        case .spawn(let executable, let reason):
            return "cannot run \(executable): \(reason); is it installed (scripts/install-deps.sh)?"
        case .mountPointInTree(let path):
            return "\(path) is a mount point inside a tree being removed; unmount it first (nothing below it was deleted)"
        }
    }
}
