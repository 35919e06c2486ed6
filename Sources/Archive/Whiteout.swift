/// OCI whiteout names: how a layer deletes what lower layers put in place.
///
/// `dir/.wh.name` hides `dir/name` (and everything below it) from lower layers; `dir/.wh..wh..opq`
/// makes `dir` opaque, hiding everything lower layers put in it. Neither hides what the same layer
/// adds, wherever it appears in the tar, and neither is ever created as a file. Other `.wh..wh.`
/// names are AUFS bookkeeping and are ignored.
public enum Whiteout: Equatable, Sendable {
    /// Delete `name` (a sibling of the whiteout file) from lower layers.
    case remove(name: String)
    /// Delete everything lower layers put in the whiteout file's directory.
    case opaque
    /// An AUFS-internal `.wh..wh.` name: neither a file nor an instruction.
    case ignored

    /// The prefix that marks a whiteout.
    public static let prefix = ".wh."
    /// The name that marks an opaque directory.
    public static let opaqueMarker = ".wh..wh..opq"

    /// The whiteout a base name stands for, or nil for an ordinary name.
    public init?(basename: String) {
        guard basename.hasPrefix(Self.prefix) else { return nil }
        if basename == Self.opaqueMarker {
            self = .opaque
        } else if basename.hasPrefix(".wh..wh.") {
            self = .ignored
        } else {
            let name = String(basename.dropFirst(Self.prefix.count))
            self = name.isEmpty || name == "." || name == ".." ? .ignored : .remove(name: name)
        }
    }
}

/// A file tree a layer is applied to, as whiteouts see it: the names in a directory, and removing one.
protocol WhiteoutTarget {
    associatedtype Directory
    /// The names in `directory`.
    func names(in directory: Directory) throws -> [String]
    /// Whether `name` exists in `directory` (without following a link).
    func contains(_ name: String, in directory: Directory) -> Bool
    /// `name` in `directory` when it is a directory (not a link to one), else nil.
    func subdirectory(_ name: String, of directory: Directory) throws -> Directory?
    /// Removes `name` from `directory`, with everything below it.
    func remove(_ name: String, from directory: Directory) throws
}

/// The current layer's side of whiteouts: the paths it wrote (with their ancestors), which its whiteouts never remove
/// wherever they appear in the tar. One implementation for the extractor (a real directory) and the flattener (memory).
struct LayerWrites {
    private var paths: Set<String> = []

    /// A new layer starts: nothing written yet.
    mutating func reset() { paths = [] }

    /// Marks `path` and its ancestors as written by the current layer; `parentTouched` when the caller knows its
    /// parent already is (and so every ancestor), which spares a lookup per entry.
    mutating func touch(_ path: String, parentTouched: Bool = false) {
        if parentTouched {
            paths.insert(path)
            return
        }
        var current = Substring(path)
        while paths.insert(String(current)).inserted, let slash = current.lastIndex(of: "/") {
            current = current[..<slash]
        }
    }

    /// Carries out `whiteout`, found in `directory` (whose path from the root is `path`), on `target`.
    func apply<Target: WhiteoutTarget>(_ whiteout: Whiteout, in directory: Target.Directory, path: String, on target: Target) throws {
        switch whiteout {
        case .remove(let name): try removeLower(name, in: directory, path: Self.join(path, name), on: target)
        case .opaque: try clearLower(directory, path: path, on: target)
        case .ignored: break
        }
    }

    /// Removes what lower layers left at `name`, keeping whatever the current layer wrote there.
    private func removeLower<Target: WhiteoutTarget>(_ name: String, in directory: Target.Directory, path: String, on target: Target) throws {
        guard target.contains(name, in: directory) else { return }
        guard paths.contains(path) else { return try target.remove(name, from: directory) }
        if let subdirectory = try target.subdirectory(name, of: directory) { try clearLower(subdirectory, path: path, on: target) }
    }

    /// Removes what lower layers left inside `directory` (an opaque directory's meaning).
    private func clearLower<Target: WhiteoutTarget>(_ directory: Target.Directory, path: String, on target: Target) throws {
        for name in try target.names(in: directory) { try removeLower(name, in: directory, path: Self.join(path, name), on: target) }
    }

    private static func join(_ parent: String, _ name: String) -> String { parent.isEmpty ? name : parent + "/" + name }
}
