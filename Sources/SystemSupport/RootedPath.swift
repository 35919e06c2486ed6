/// Resolves a path inside a root as the kernel would inside a chroot: one component at a time, symlinks followed
/// inside the root (an absolute target starts again at the root), `..` stepping back one resolved directory.
///
/// Every place that resolves a path in an image walks with this one algorithm, whatever holds the files: a real
/// directory opened with `openat(O_NOFOLLOW)` (layer extraction), an in-memory tree (flattening, the OS layer's
/// index), host paths under a container's root, or the members of an outer archive. The caller's `lookup` says what
/// a name in a directory is; the walk does the rest, so link loops, escapes and `..` are handled the same everywhere.
public enum RootedPath {
    /// What a name in a directory is, as `lookup` reports it.
    public enum Lookup<Directory> {
        /// A directory to walk into.
        case directory(Directory)
        /// A symbolic link and its target.
        case symlink(String)
        /// Nothing by that name.
        case missing
        /// Something that is not a directory (a file, a device).
        case other
    }

    /// What `..` above the root does.
    public enum Escape: Sendable {
        /// Stays at the root, as `/..` does.
        case stayAtRoot
        /// Is refused: a link that climbs out of the root is hostile.
        case refuse
    }

    /// Why a walk failed.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A symlink's target climbs above the root (only with ``Escape/refuse``); `link` is its path.
        case escape(link: String, target: String)
        /// More than the allowed number of symlinks were followed (a loop).
        case tooManyLinks(path: String)

        public var description: String {
            switch self {
            case .escape(let link, let target): return "the symlink \(link) -> \(target) climbs out of the root"
            case .tooManyLinks(let path): return "\(path): too many levels of symbolic links"
            }
        }
    }

    /// Where a walk ended.
    public enum Outcome<Directory> {
        /// Every component is a directory (or the path was empty): the last one, and its symlink-free components.
        case directory(Directory, path: [String])
        /// The walk stopped at `name` in `parent` (symlink-free components `parentPath`): `found` is what is there
        /// (missing, not a directory, or a last link not followed); `rest` are the components after it.
        case stopped(parent: Directory, parentPath: [String], name: String, found: Lookup<Directory>, rest: [String])
    }

    /// Linux's MAXSYMLINKS.
    public static let maximumLinks = 40

    /// Walks `components` from `root`. The last component's symlink is followed only when `followLast`.
    /// `lookup(directory, name, path)` reports what `name` is (`path` is its symlink-free path from the root).
    public static func walk<Directory>(
        _ components: [String], from root: Directory, followLast: Bool, escape: Escape, maximumLinks: Int = maximumLinks,
        lookup: (Directory, String, [String]) throws -> Lookup<Directory>
    ) throws -> Outcome<Directory> {
        var pending = Array(components.reversed())
        var stack: [(directory: Directory, path: [String])] = [(root, [])]
        var links = 0
        var lastLink = ("", "")
        while let component = pending.popLast() {
            if component.isEmpty || component == "." { continue }
            let (current, currentPath) = stack[stack.count - 1]
            if component == ".." {
                if stack.count > 1 {
                    stack.removeLast()
                } else if escape == .refuse {
                    throw Failure.escape(link: lastLink.0, target: lastLink.1)
                }
                continue
            }
            let isLast = pending.allSatisfy { $0.isEmpty || $0 == "." }
            let path = currentPath + [component]
            let found = try lookup(current, component, path)
            switch found {
            case .directory(let next):
                stack.append((next, path))
            case .symlink(let target) where !isLast || followLast:
                links += 1
                if links > maximumLinks { throw Failure.tooManyLinks(path: (components).joined(separator: "/")) }
                lastLink = (path.joined(separator: "/"), target)
                if target.hasPrefix("/") { stack.removeSubrange(1...) }
                pending.append(contentsOf: target.split(separator: "/").reversed().map(String.init))
            default:
                return .stopped(parent: current, parentPath: currentPath, name: component, found: found, rest: pending.reversed())
            }
        }
        let (last, path) = stack[stack.count - 1]
        return .directory(last, path: path)
    }

    /// `path` with the symlinks `linkTarget` knows followed (parents always, the last component when `followLast`),
    /// for trees that record links but not which names are directories; `..` above the root stays there, and a
    /// link loop leaves the path unresolved from the link on.
    public static func lexical(_ path: String, followLast: Bool, linkTarget: (String) -> String?) -> String {
        let components = path.split(separator: "/").map(String.init)
        let outcome = try? walk(components, from: (), followLast: followLast, escape: .stayAtRoot) { _, _, path in
            if let target = linkTarget(path.joined(separator: "/")) { return .symlink(target) }
            return .directory(())
        }
        switch outcome {
        case .directory(_, let resolved)?: return resolved.joined(separator: "/")
        case .stopped(_, let parent, let name, _, let rest)?: return (parent + [name] + rest).joined(separator: "/")
        case nil: return components.joined(separator: "/")
        }
    }
}
