import Archive
import Foundation
import ImageFormat
import ImageTransport
import SBOM

/// `copy_from:`: paths out of another image's final file system (whiteouts applied by ``LayerFlattener`` as the
/// image is read once through ``ImageReader``), as nodes for the app layer with the owners and modes they had.
///
/// A folder comes with everything under it; a symbolic link comes as the link (not what it points to); a hard
/// link whose target is copied too stays a hard link, else it becomes a regular file with the target's bytes.
/// Regular files are staged under `scratch` while the image streams by.
struct CopyFrom {
    let entry: CopyFromEntry
    /// The build file, for messages.
    let buildFile: String

    /// The nodes for the app layer, keyed by their path in the new image.
    func tree(from image: PulledImage, scratch: String) async throws -> LayerTree {
        let source = image.source()
        let resolved = try await source.image(for: nil)
        let capture = PathCapture(paths: entry.paths, directory: scratch)
        let files: SBOM.ImageFiles
        do {
            files = try await ImageReader.read(source, image: resolved, observers: [capture])
        } catch {
            throw BuildError.image(reference: entry.image.text, reason: "its layers cannot be read: \(error)")
        }
        var tree = LayerTree()
        for path in entry.paths {
            guard let top = files.tree.entry(at: path) else {
                throw BuildError.copyFrom(
                    file: buildFile, reference: entry.image.text, path: path, reason: "is not in that image; list a path it has (absolute, links not followed)")
            }
            let destination = entry.destination(of: path)
            let below = top.kind == .directory ? files.tree.entries.filter { $0.path.hasPrefix(path + "/") } : []
            for item in [top] + below {
                let relative = String(item.path.dropFirst(path.count))
                tree.insert(try node(item, capture: capture, copied: { files.tree.entry(at: $0) != nil && Self.isUnder($0, entry.paths) }, map: map),
                    at: destination + relative)
            }
        }
        return tree
    }

    /// The new image's path for a path of the source image under one of the copied paths.
    private func map(_ path: String) -> String {
        for copied in entry.paths where path == copied || path.hasPrefix(copied + "/") {
            return entry.destination(of: copied) + String(path.dropFirst(copied.count))
        }
        return path
    }

    private static func isUnder(_ path: String, _ roots: [String]) -> Bool {
        roots.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    private func node(
        _ item: FlattenedEntry, capture: PathCapture, copied: (String) -> Bool, map: (String) -> String
    ) throws -> LayerNode {
        var node = LayerNode(kind: item.kind, permissions: item.permissions, uid: item.uid, gid: item.gid)
        switch item.kind {
        case .regular:
            node.content = try content(of: item, capture: capture)
        case .hardlink(let target):
            if copied(target) {
                node.kind = .hardlink(target: map(target))
            } else {
                node.kind = .regular
                node.content = try content(of: item, capture: capture, path: target)
            }
        case .directory, .symlink:
            break
        default:
            throw BuildError.copyFrom(
                file: buildFile, reference: entry.image.text, path: item.path, reason: "is a device or fifo; copy_from copies files, folders and links")
        }
        return node
    }

    /// The staged bytes of `item`, or of the file it is a hard link to (`path`).
    private func content(of item: FlattenedEntry, capture: PathCapture, path: String? = nil) throws -> FileContent {
        if let path {
            guard let staged = capture.staged[path] else {
                throw BuildError.copyFrom(
                    file: buildFile, reference: entry.image.text, path: item.path,
                    reason: "is a hard link to /\(path), which is not among the copied paths; add /\(path) to paths:")
            }
            return .file(path: staged.file, size: staged.size)
        }
        guard let staged = capture.staged[item.path], staged.layer == item.layer else {
            throw BuildError.copyFrom(file: buildFile, reference: entry.image.text, path: item.path, reason: "was not read from the layer that holds it")
        }
        return .file(path: staged.file, size: staged.size)
    }
}

/// Stages the content of regular files under the copied paths as the layers stream by; a later layer's version of a
/// path replaces an earlier one's (only the final tree's entries are used).
final class PathCapture: LayerObserver {
    struct Staged {
        var file: String
        var size: Int64
        var layer: Int
    }

    private let paths: [String]
    private let directory: String
    private var counter = 0
    /// Path → the last staged version of it.
    private(set) var staged: [String: Staged] = [:]

    init(paths: [String], directory: String) {
        self.paths = paths
        self.directory = directory
    }

    func observe(_ entry: LayerEntry) throws -> ContentConsumer? {
        guard let path = entry.path, entry.kind == .regular, entry.whiteout == nil,
            paths.contains(where: { path == $0 || path.hasPrefix($0 + "/") })
        else { return nil }
        counter += 1
        let file = directory + "/copy-\(counter)"
        staged[path] = Staged(file: file, size: entry.size, layer: entry.layer)
        return try SinkConsumer(FileSink(path: file, durable: false))
    }

    /// Writes one file's content to a sink.
    private final class SinkConsumer: ContentConsumer {
        private let sink: FileSink

        init(_ sink: FileSink) { self.sink = sink }

        func consume(_ chunk: UnsafeRawBufferPointer) throws -> Bool {
            try sink.write(chunk)
            return true
        }

        func finish() throws { try sink.finish() }
    }
}

extension CopyFrom {
    /// The app layer's tree with the `copy_from:` nodes under it (the app's own entries win where they overlap);
    /// folders made only on the way to a copied path take the owner and mode the image below has.
    static func under(_ app: LayerTree, copied: LayerTree, copiedPaths: Set<String>, below: OSLayerIndex) -> LayerTree {
        guard copied.count > 0 else { return app }
        var tree = copied
        for path in tree.sortedPaths() where !copiedPaths.contains(path) {
            if let existing = below[path], existing.kind == "dir" {
                tree.insert(.directory(mode: existing.mode, uid: existing.uid, gid: existing.gid), at: path)
            }
        }
        for path in app.sortedPaths() {
            if let node = app[path] { tree.insert(node, at: path) }
        }
        return tree
    }
}
