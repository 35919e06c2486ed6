/// Splits local file paths as plain strings.
///
/// swift-corelibs-foundation's `NSString.deletingLastPathComponent` traps ("Illegal instruction") on a
/// one-character relative path such as `x`, so nothing in distill uses it.
public enum FilePaths {
    /// The folder `path` is in: `.` for a bare name, `/` for a top-level entry; trailing slashes are ignored.
    public static func directory(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(Substring(path))
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let parent = trimmingTrailingSlashes(trimmed[..<slash])
        return parent.isEmpty || parent == "/" ? "/" : String(parent)
    }

    /// The last component of `path` (`b` for `a/b` and `a/b/`); `/` for the root itself.
    public static func name(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(Substring(path))
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        let name = trimmed[trimmed.index(after: slash)...]
        return name.isEmpty ? "/" : String(name)
    }

    private static func trimmingTrailingSlashes(_ path: Substring) -> Substring {
        var result = path
        while result.count > 1, result.hasSuffix("/") { result = result.dropLast() }
        return result
    }
}
