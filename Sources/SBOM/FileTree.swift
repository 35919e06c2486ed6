import Archive

/// The final file tree of an image or layer (metadata only), with lookups by path.
public struct FileTree: Sendable {
    /// Every entry, sorted by path.
    public let entries: [FlattenedEntry]
    private let index: [String: Int]

    /// Indexes `entries` (as ``LayerFlattener/entries()`` returns them).
    public init(_ entries: [FlattenedEntry]) {
        self.entries = entries
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() { index[entry.path] = position }
        self.index = index
    }

    /// The entry at a normalized path (`etc/passwd`), not following a final symlink.
    public func entry(at path: String) -> FlattenedEntry? {
        index[path].map { entries[$0] }
    }

    /// The entry a path names once symlinks (in any component, relative or absolute) are followed inside the tree.
    public func resolve(_ path: String) -> FlattenedEntry? {
        var pending = path.split(separator: "/").map(String.init).reversed() as [String]
        var resolved: [String] = []
        var hops = 0
        while let component = pending.popLast() {
            if component.isEmpty || component == "." { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = (resolved + [component]).joined(separator: "/")
            guard let entry = entry(at: candidate) else { return nil }
            if case .symlink(let target) = entry.kind {
                hops += 1
                if hops > 40 { return nil }
                if target.hasPrefix("/") { resolved = [] }
                pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
                continue
            }
            resolved.append(component)
        }
        return resolved.isEmpty ? nil : entry(at: resolved.joined(separator: "/"))
    }
}
