#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// Tells whether the process that made a named scratch folder, bundle or container still runs.
///
/// distill names what it leaves on disk `<prefix><pid>-<random>`; a sweep removes only entries whose
/// pid is gone, so a concurrent or long-running distill never loses its staging area.
public enum ProcessLiveness {
    /// The pid encoded right after `prefix` in `name`, if any.
    public static func ownerPID(of name: String, prefix: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let pid = pid_t(digits), pid > 0 else { return nil }
        return pid
    }

    /// True when `name` carries `prefix` and a pid that no longer runs (a zombie counts as gone).
    /// This process's own entries are never reported.
    public static func ownerIsGone(_ name: String, prefix: String) -> Bool {
        guard let pid = ownerPID(of: name, prefix: prefix), pid != getpid() else { return false }
        return isGone(pid)
    }

    /// True when no process `pid` runs (or it is a zombie waiting to be reaped).
    public static func isGone(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        return isZombie(pid)
    }

    /// A killed process whose parent has not reaped it yet still answers kill(pid, 0).
    private static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
