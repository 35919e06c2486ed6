import Foundation

/// Environment defaults distill reads, each in one place.
public enum Environment {
    /// `$TMPDIR` when set to an absolute path, else `/tmp`.
    public static var temporaryDirectory: String {
        if let value = ProcessInfo.processInfo.environment["TMPDIR"], value.hasPrefix("/") { return value }
        return "/tmp"
    }

    /// distill's cache folder, one rule for every cache (packages, layers, wheels, the vulnerability
    /// database): `$XDG_CACHE_HOME/distill` when that is an absolute path (the XDG spec says to ignore a
    /// relative one), else `$HOME/.cache/distill`.
    public static func cacheDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/distill" }
        return (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.cache/distill"
    }
}
