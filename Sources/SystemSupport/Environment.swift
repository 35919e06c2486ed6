import Foundation

/// Environment defaults distill reads, each in one place.
public enum Environment {
    /// `$TMPDIR` when set to an absolute path, else `/tmp`.
    public static var temporaryDirectory: String {
        if let value = ProcessInfo.processInfo.environment["TMPDIR"], value.hasPrefix("/") { return value }
        return "/tmp"
    }
}
