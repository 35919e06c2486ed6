import Archive
import Foundation

/// The bytes of one file as one layer wrote it.
public struct CollectedFile: Sendable, Equatable, Codable {
    /// Normalized path in the final tree.
    public var path: String
    /// Index of the layer that wrote these bytes.
    public var layer: Int
    public var data: Data

    public init(path: String, layer: Int, data: Data) {
        self.path = path
        self.layer = layer
        self.data = data
    }
}

/// Keeps the content of the few files that are wanted (package databases, metadata, account files).
///
/// Every layer's version is kept for paths in `history` (the dpkg status file, to tell which layer
/// installed each package); for other paths only the latest. Files above `limit` bytes are skipped.
public final class FileCollector: LayerObserver {
    private let wanted: @Sendable (String) -> Bool
    private let history: Set<String>
    private let limit: Int
    private var latest: [String: CollectedFile] = [:]
    private var versions: [String: [CollectedFile]] = [:]

    /// Collects regular files whose final path satisfies `wanted`.
    public init(limit: Int = 16 << 20, history: Set<String> = [], wanted: @escaping @Sendable (String) -> Bool) {
        self.wanted = wanted
        self.history = history
        self.limit = limit
    }

    public func observe(_ entry: LayerEntry) throws -> ContentConsumer? {
        guard let path = entry.path, wanted(path) else { return nil }
        switch entry.kind {
        case .regular:
            guard entry.size <= Int64(limit) else { return nil }
            return Buffer(expected: Int(entry.size)) { [weak self] data in self?.store(CollectedFile(path: path, layer: entry.layer, data: data)) }
        case .hardlink(let target):
            if let linked = latest[target] { store(CollectedFile(path: path, layer: entry.layer, data: linked.data)) }
            return nil
        default:
            return nil
        }
    }

    private func store(_ file: CollectedFile) {
        latest[file.path] = file
        if history.contains(file.path) { versions[file.path, default: []].append(file) }
    }

    /// The files as the final tree has them: only those no later layer replaced or removed.
    public func files(in tree: FileTree) -> [String: CollectedFile] {
        latest.filter { path, file in
            guard let entry = tree.entry(at: path) else { return false }
            return entry.layer == file.layer && entry.kind != .directory
        }
    }

    /// Every layer's version of a `history` path, lowest layer first.
    public func versions(of path: String) -> [CollectedFile] { versions[path] ?? [] }

    /// Accumulates one file's bytes.
    private final class Buffer: ContentConsumer {
        private var data: Data
        private let done: (Data) -> Void

        init(expected: Int, done: @escaping (Data) -> Void) {
            data = Data(capacity: expected)
            self.done = done
        }

        func consume(_ chunk: UnsafeRawBufferPointer) throws -> Bool {
            data.append(chunk.bindMemory(to: UInt8.self))
            return true
        }

        func finish() throws { done(data) }
    }
}
