import Archive
import SBOM

/// Image efficiency as dive computes it, from each layer's own tree of raw tar paths.
///
/// Every leaf of every layer's tree (files, links, empty directories, whiteouts) is a visit of its path.
/// A path visited in two or more layers is an inefficiency whose cost is the sum of all its visits' sizes;
/// wasted bytes are the sum of those costs. A whiteout of a file costs nothing itself (the file's earlier
/// visit carries its size); a whiteout of a directory costs everything the layers below held under it.
/// The score is the sum over all paths of their smallest visit divided by the sum of all visits (1 when
/// nothing has size). Opaque-directory markers are ignored, as dive ignores them.
public final class DiveEfficiency: LayerObserver {
    /// One path seen in more than one layer.
    public struct Inefficiency: Sendable, Hashable, Codable {
        public var path: String
        /// Visits: layers that wrote or deleted the path.
        public var count: Int
        /// Bytes of all visits together.
        public var cumulativeSize: Int64
    }

    private struct PathData {
        var count = 0
        var cumulative: Int64 = 0
        var minimum: Int64 = -1
    }

    private var paths: [String: PathData] = [:]
    private var pending: [(path: String, size: Int64, isWhiteout: Bool, isDirectory: Bool)] = []
    /// The stacked tree below the current layer, raw paths with whiteouts applied.
    private let stacked = StackNode()
    /// Bytes of regular files per layer (dive's layer size).
    public private(set) var layerSizes: [Int64] = []
    private var currentSize: Int64 = 0

    public init() {}

    public func observe(_ entry: LayerEntry) throws -> ContentConsumer? {
        switch entry.whiteout {
        case .remove?: pending.append(("/" + entry.rawPath, 0, true, false))
        case .opaque?, .ignored?: break
        case nil:
            let size = entry.kind == .regular ? entry.size : 0
            currentSize += size
            pending.append(("/" + entry.rawPath, size, false, entry.kind == .directory))
        }
        return nil
    }

    public func finishLayer(_ layer: LayerInfo) throws {
        // A node with children in this layer's tree is not a leaf; its parents are all implied.
        var parents: Set<String> = []
        for item in pending {
            var path = Substring(item.path)
            while let slash = path.lastIndex(of: "/"), slash != path.startIndex {
                path = path[..<slash]
                if !parents.insert(String(path)).inserted { break }
            }
        }
        var seenThisLayer: Set<String> = []
        for item in pending where !parents.contains(item.path) && seenThisLayer.insert(item.path).inserted {
            var size = item.size
            if item.isWhiteout, let previous = stacked.node(at: item.path), previous.isDirectory {
                size = previous.totalSize()
            }
            var data = paths[item.path] ?? PathData()
            data.count += 1
            data.cumulative += size
            if data.minimum < 0 || size < data.minimum { data.minimum = size }
            paths[item.path] = data
        }
        for item in pending {
            if item.isWhiteout {
                stacked.remove(item.path)
            } else {
                stacked.insert(item.path, size: item.size, isDirectory: item.isDirectory)
            }
        }
        pending = []
        layerSizes.append(currentSize)
        currentSize = 0
    }

    /// Paths seen in several layers, costliest first.
    public var inefficiencies: [Inefficiency] {
        paths.filter { $0.value.count >= 2 }
            .map { Inefficiency(path: $0.key, count: $0.value.count, cumulativeSize: $0.value.cumulative) }
            .sorted { ($0.cumulativeSize, $1.path) > ($1.cumulativeSize, $0.path) }
    }

    /// dive's wasted bytes: the cumulative size of every inefficiency.
    public var wastedBytes: Int64 { inefficiencies.reduce(0) { $0 + $1.cumulativeSize } }

    /// dive's efficiency score, from 0 to 1.
    public var score: Double {
        var minimum: Int64 = 0
        var discovered: Int64 = 0
        for data in paths.values {
            minimum += data.minimum
            discovered += data.cumulative
        }
        return discovered == 0 ? 1 : Double(minimum) / Double(discovered)
    }

    /// Wasted bytes as a share of the bytes every layer but the first adds (dive's "user" layers).
    public var userWastedRatio: Double {
        let user = layerSizes.dropFirst().reduce(0, +)
        return user == 0 ? 0 : Double(wastedBytes) / Double(user)
    }
}

/// A node of the stacked raw-path tree dive keeps to size directory whiteouts.
private final class StackNode {
    var size: Int64 = 0
    var isDirectory = false
    var children: [String: StackNode] = [:]

    func node(at path: String) -> StackNode? {
        var current = self
        for component in path.split(separator: "/") {
            guard let next = current.children[String(component)] else { return nil }
            current = next
        }
        return current
    }

    func insert(_ path: String, size: Int64, isDirectory: Bool) {
        var current = self
        for component in path.split(separator: "/") {
            let key = String(component)
            if let next = current.children[key] {
                current = next
            } else {
                let made = StackNode()
                made.isDirectory = true
                current.children[key] = made
                current = made
            }
        }
        current.size = size
        current.isDirectory = isDirectory || !current.children.isEmpty
    }

    func remove(_ path: String) {
        var components = path.split(separator: "/").map(String.init)
        guard let last = components.popLast() else { return }
        guard let parent = node(at: components.joined(separator: "/")) else { return }
        parent.children[last] = nil
    }

    /// This node's size and everything below it.
    func totalSize() -> Int64 {
        children.values.reduce(size) { $0 + $1.totalSize() }
    }
}
