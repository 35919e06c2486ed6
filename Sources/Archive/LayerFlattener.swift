import SystemSupport

/// One object of an image's final filesystem, as its layers leave it.
public struct FlattenedEntry: Sendable, Equatable {
    /// Normalized path, with any symlinked parent directories resolved (`lib/x` under `lib -> usr/lib` is `usr/lib/x`).
    public var path: String
    /// For hard links, the target's normalized path.
    public var kind: EntryKind
    /// Bytes of content (for a hard link, its target's).
    public var size: Int64
    public var permissions: UInt32
    public var uid: Int64
    public var gid: Int64
    public var modificationTime: Int64
    /// Index (from 0, in the order applied) of the layer that last wrote this path.
    public var layer: Int
}

/// Reads a stack of layers without writing anything and yields the final file list, whiteouts applied.
///
/// The semantics are ``LayerExtractor``'s, on an in-memory tree: the same path rules and refusals
/// (`..`, absolute names unless allowed, symlinks that climb out of the root), whiteouts that hide only
/// lower layers, and entries replacing what was at their path. Contents are skipped, not read, so this
/// is cheap for `inspect` and SBOM generation. It also counts the bytes of regular files that a later
/// layer replaced or removed ("wasted" bytes still shipped in lower layers).
public final class LayerFlattener {
    private let root = FlatNode(entry: nil, layer: -1)
    private var layerIndex = -1
    private var writes = LayerWrites()
    private let allowAbsolutePaths: Bool
    /// Bytes of regular files written by one layer and replaced or removed by a later one.
    public private(set) var wastedBytes: Int64 = 0
    /// How many such files there were.
    public private(set) var wastedFiles = 0

    /// The directory the previous entry went into, by its name in the tar (`usr/lib/python3.11`): a layer lists a
    /// directory's files one after another, so most entries skip the walk from the root. Only entries that add to
    /// that directory run between its store and its use; anything that replaces or removes a node forgets it.
    private var lastDirectory: (key: String, node: FlatNode, path: String)?

    private let unpackLimit: UnpackLimit?
    /// Content bytes of every layer so far, against the unpack limit (skipping a bomb's data still inflates it).
    private var budget: UnpackBudget?

    /// An empty stack; absolute entry names are refused unless `allowAbsolutePaths`. `unpackLimit` (default:
    /// ``UnpackLimit/current(environment:)``) bounds the file bytes of all layers together.
    public init(allowAbsolutePaths: Bool = false, unpackLimit: UnpackLimit? = nil) {
        self.allowAbsolutePaths = allowAbsolutePaths
        self.unpackLimit = unpackLimit
    }

    /// The final entries of `layers` (blob files, lowest first), sorted by path.
    public static func flatten(layers: [String], allowAbsolutePaths: Bool = false) throws -> [FlattenedEntry] {
        let flattener = LayerFlattener(allowAbsolutePaths: allowAbsolutePaths)
        for layer in layers { try flattener.apply(layerAt: layer) }
        return flattener.entries()
    }

    /// Applies the layer blob at `path` (any compression); `name` (default: the path) identifies it in errors.
    public func apply(layerAt path: String, name: String? = nil) throws {
        try apply(ArchiveReader(path: path, format: .tar, name: name ?? path))
    }

    /// Applies a layer read from `source`; `name` identifies it in errors.
    public func apply(_ source: ByteSource, name: String) throws {
        try apply(ArchiveReader(source: source, format: .tar, name: name))
    }

    private func apply(_ reader: ArchiveReader) throws {
        try apply(reader) { _, _ in }
    }

    /// Applies the layer `reader` is at, calling `visit` after each entry with its place in the final tree
    /// (nil for whiteouts and the root), so a caller can read the data of the files it needs in the same pass.
    public func apply(_ reader: ArchiveReader, visit: (ArchiveEntry, FlattenedEntry?) throws -> Void) throws {
        layerIndex += 1
        writes.reset()
        lastDirectory = nil
        var budget = try self.budget ?? UnpackBudget(limit: unpackLimit ?? UnpackLimit.current())
        defer { self.budget = budget }
        while let entry = try reader.nextEntry() {
            if entry.kind == .regular { try budget.take(entry.size, archive: reader.name, entry: entry.rawPath) }
            try visit(entry, try apply(entry, layer: reader.name))
        }
        writes.reset()
    }

    /// Every entry of the final filesystem, sorted by path (directories before their contents).
    public func entries() -> [FlattenedEntry] {
        var out: [FlattenedEntry] = []
        func visit(_ node: FlatNode) {
            for name in node.children.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let child = node.children[name]!
                if let entry = child.entry { out.append(entry) }
                visit(child)
            }
        }
        visit(root)
        return out
    }

    @discardableResult
    private func apply(_ entry: ArchiveEntry, layer: String) throws -> FlattenedEntry? {
        guard let path = try ArchivePath.normalize(entry.rawPath, archive: layer, allowAbsolute: allowAbsolutePaths) else { return nil }
        let parent = ArchivePath.parent(of: path) ?? ""
        let name = ArchivePath.basename(of: path)
        if let whiteout = Whiteout(basename: name) {
            lastDirectory = nil
            guard let (dir, dirPath) = try resolve(components(of: parent), create: false, layer: layer, entry: entry.rawPath) else { return nil }
            try writes.apply(whiteout, in: dir, path: dirPath, on: self)
            return nil
        }
        let dir: FlatNode
        let dirPath: String
        let remembered: Bool
        if let last = lastDirectory, last.key == parent {
            (dir, dirPath, remembered) = (last.node, last.path, true)
        } else {
            guard let found = try resolve(components(of: parent), create: true, layer: layer, entry: entry.rawPath) else { return nil }
            (dir, dirPath, remembered) = (found.0, found.1, false)
            lastDirectory = (parent, dir, dirPath)
        }
        let target = join(dirPath, name)
        // A remembered directory was touched (with its ancestors) by the entry that went into it first, this layer.
        writes.touch(target, parentTouched: remembered)
        var flat = FlattenedEntry(
            path: target, kind: entry.kind, size: entry.kind == .regular ? entry.size : 0, permissions: entry.permissions,
            uid: entry.uid, gid: entry.gid, modificationTime: entry.modificationTime, layer: layerIndex)
        if case .hardlink(let rawTarget) = entry.kind {
            let linked = try hardlinkTarget(rawTarget, layer: layer, entry: entry.rawPath)
            flat.kind = .hardlink(target: linked.path)
            flat.size = linked.size
        }
        if let existing = dir.children[name] {
            if existing.entry?.kind == .directory && entry.kind == .directory {
                existing.entry = flat
                existing.layer = layerIndex
                return flat
            }
            // A symlink in the remembered walk could have led through this node.
            lastDirectory = nil
            discard(existing)
        }
        dir.children[name] = FlatNode(entry: flat, layer: layerIndex)
        return flat
    }

    private func hardlinkTarget(_ raw: String, layer: String, entry: String) throws -> FlattenedEntry {
        let normalized: String?
        do {
            normalized = try ArchivePath.normalize(raw, archive: layer, allowAbsolute: allowAbsolutePaths)
        } catch {
            throw ArchiveError.badHardlink(archive: layer, entry: entry, target: raw, reason: "climbs out of the root")
        }
        guard var parts = normalized?.split(separator: "/").map(String.init), let name = parts.popLast(),
            let (dir, _) = try resolve(parts, create: false, layer: layer, entry: entry),
            let target = dir.children[name]?.entry
        else {
            throw ArchiveError.badHardlink(archive: layer, entry: entry, target: raw, reason: "points to nothing extracted so far")
        }
        guard target.kind != .directory else {
            throw ArchiveError.badHardlink(archive: layer, entry: entry, target: raw, reason: "points to a directory")
        }
        // A link to a link names the same file: report the first name.
        var resolved = target
        if case .hardlink(let first) = target.kind { resolved.path = first }
        return resolved
    }

    /// The directory node for `components`, following symlink nodes inside the root as the extractor does.
    private func resolve(_ components: [String], create: Bool, layer: String, entry: String) throws -> (FlatNode, String)? {
        let outcome: RootedPath.Outcome<FlatNode>
        do {
            outcome = try RootedPath.walk(components, from: root, followLast: true, escape: .refuse) { current, component, path in
                guard let child = current.children[component] else {
                    guard create else { return .missing }
                    let childPath = path.joined(separator: "/")
                    let made = FlatNode(
                        entry: FlattenedEntry(
                            path: childPath, kind: .directory, size: 0, permissions: 0o755, uid: 0, gid: 0, modificationTime: 0,
                            layer: layerIndex), layer: layerIndex)
                    current.children[component] = made
                    writes.touch(childPath)
                    return .directory(made)
                }
                switch child.entry?.kind {
                case .directory?, nil: return .directory(child)
                case .symlink(let target)?: return .symlink(target)
                default: return .other
                }
            }
        } catch let failure as RootedPath.Failure {
            switch failure {
            case .escape(let link, let target): throw ArchiveError.symlinkEscape(archive: layer, entry: entry, link: link, target: target)
            case .tooManyLinks: throw ArchiveError.symlinkLoop(archive: layer, entry: entry)
            }
        }
        switch outcome {
        case .directory(let node, let path):
            return (node, path.joined(separator: "/"))
        case .stopped(_, _, _, .missing, _):
            return nil
        case .stopped(_, let parent, let name, _, _):
            throw ArchiveError.conflict(
                archive: layer, entry: entry,
                reason: "'\(join(parent.joined(separator: "/"), name))' is not a directory (an earlier entry or layer made it a file)")
        }
    }

    /// Counts the regular files of lower layers in a subtree that is being replaced or removed.
    fileprivate func discard(_ node: FlatNode) {
        if let entry = node.entry, entry.kind == .regular, entry.layer < layerIndex {
            wastedBytes += entry.size
            wastedFiles += 1
        }
        for child in node.children.values { discard(child) }
    }

    private func components(of parent: String) -> [String] { parent.split(separator: "/").map(String.init) }

    private func join(_ parent: String, _ name: String) -> String { parent.isEmpty ? name : parent + "/" + name }
}

extension LayerFlattener: WhiteoutTarget {
    func names(in directory: FlatNode) -> [String] { Array(directory.children.keys) }
    func contains(_ name: String, in directory: FlatNode) -> Bool { directory.children[name] != nil }
    func subdirectory(_ name: String, of directory: FlatNode) -> FlatNode? {
        guard let node = directory.children[name], node.entry?.kind == .directory else { return nil }
        return node
    }
    func remove(_ name: String, from directory: FlatNode) {
        guard let node = directory.children[name] else { return }
        discard(node)
        directory.children[name] = nil
    }
}

/// A node of the flattened tree; reference type so directories can be edited in place.
final class FlatNode {
    var entry: FlattenedEntry?
    var layer: Int
    var children: [String: FlatNode] = [:]

    init(entry: FlattenedEntry?, layer: Int) {
        self.entry = entry
        self.layer = layer
    }
}
