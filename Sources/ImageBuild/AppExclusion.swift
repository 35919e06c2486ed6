import Archive
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An app entry's `exclude:` patterns (shell globs, as .dockerignore writes them): a pattern without `/` leaves out
/// every file or folder of that name at any depth; one with `/` a path relative to the source. A folder left out
/// takes its contents with it.
struct AppExclusion {
    let patterns: [String]

    /// Whether the relative path `path` (or a folder above it) is left out.
    func excludes(_ path: String) -> Bool {
        let components = path.split(separator: "/").map(String.init)
        for pattern in patterns {
            let trimmed = pattern.hasSuffix("/") ? String(pattern.dropLast()) : pattern
            if trimmed.contains("/") {
                // The pattern names a path: it matches the path itself or any folder above it.
                for end in 1...max(1, components.count) where Self.matches(trimmed, components.prefix(end).joined(separator: "/")) { return true }
            } else if components.contains(where: { Self.matches(trimmed, $0) }) {
                return true
            }
        }
        return false
    }

    /// Removes what the patterns leave out from a scanned source tree.
    func apply(to tree: inout LayerTree) {
        for path in tree.sortedPaths() where tree[path] != nil && excludes(path) { tree.remove(path) }
    }

    private static func matches(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, FNM_PATHNAME) == 0
    }
}
