/// Which paths of a package's data go into the image.
public struct DebPathFilter: Sendable, Equatable {
    /// Normalized directory paths left out with everything below them (`usr/share/man`).
    public var excludedDirectories: [String]
    /// Keep `usr/share/doc/<pkg>/copyright` (and the directories above it) although `usr/share/doc` is excluded.
    public var keepsCopyright: Bool

    public init(excludedDirectories: [String], keepsCopyright: Bool = true) {
        self.excludedDirectories = excludedDirectories.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        self.keepsCopyright = keepsCopyright
    }

    /// What distroless leaves out: documentation except copyright files, man and info pages, translations, lintian overrides.
    public static let distroless = DebPathFilter(excludedDirectories: [
        "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "usr/share/lintian",
    ])

    /// Everything the package contains.
    public static let everything = DebPathFilter(excludedDirectories: [], keepsCopyright: true)

    /// True if the normalized `path` is kept.
    public func keeps(_ path: String) -> Bool {
        for directory in excludedDirectories where path == directory || path.hasPrefix(directory + "/") {
            if keepsCopyright && directory == "usr/share/doc" {
                if path == directory { return true }
                let rest = path.dropFirst(directory.count + 1).split(separator: "/", omittingEmptySubsequences: false)
                // `usr/share/doc/<pkg>` itself (a directory or a symlink to another package's) and its copyright file.
                return rest.count == 1 || (rest.count == 2 && rest[1] == "copyright")
            }
            return false
        }
        return true
    }
}
