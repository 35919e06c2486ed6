import Archive
import Foundation

/// What `debug: true` adds: Debian's statically linked busybox under `/busybox`, with links for its common
/// applets, and `/busybox` at the end of `PATH` — the layout of distroless's `:debug` images, so the same
/// `kubectl exec … /busybox/sh` works. `check` and `compare` flag such an image as not for production.
enum DebugShell {
    /// The package that ships the binary; resolved, verified and locked like the others.
    static let package = "busybox-static"
    static let directory = "busybox"

    /// Applets linked under `/busybox` (the binary has more: `/busybox/busybox --list`). Each is in the
    /// busybox-static of bookworm and of trixie.
    static let applets = [
        "sh", "ash", "awk", "basename", "cat", "chmod", "chown", "clear", "cp", "cut", "date", "df", "diff", "dirname", "du",
        "echo", "env", "expr", "false", "find", "free", "grep", "gunzip", "gzip", "head", "hostname", "id", "kill", "less",
        "ln", "ls", "md5sum", "mkdir", "mktemp", "more", "mv", "nc", "netstat", "nslookup", "od", "ping", "printf", "ps",
        "pwd", "readlink", "realpath", "rm", "rmdir", "sed", "seq", "sha256sum", "sleep", "sort", "stat", "tail", "tar",
        "tee", "test", "top", "touch", "tr", "true", "uname", "uniq", "vi", "wc", "wget", "which", "whoami", "xargs", "yes",
        "zcat",
    ]

    /// `/busybox` and the applet links; the binary itself comes from the package (``relocated(_:)``).
    static var skeleton: [(String, LayerNode)] {
        [(directory, .directory(mode: 0o755))] + applets.map { ("\(directory)/\($0)", .symlink(to: "busybox")) }
    }

    /// Where a path of the busybox package goes in a debug image: the binary to `/busybox/busybox`, the
    /// copyright file where it was; nil for the rest (initramfs hooks, examples, man pages).
    static func relocated(_ path: String) -> String? {
        if path == "bin/busybox" || path == "usr/bin/busybox" { return "\(directory)/busybox" }
        if path.hasPrefix("usr/share/doc/\(package)/copyright") { return path }
        return nil
    }

    /// The image's `PATH`: the preset's, then `/busybox`.
    static func path(_ base: String) -> String { base + ":/" + directory }
}
