import Archive
import Debian
import Foundation
import ImageFormat
import SystemSupport

/// The OS layer: the verified .debs unpacked, their dpkg records, the CA bundle, then the preset's own files.
struct OSStage: LayerStage {
    let packages: [PackageDownload]
    /// The downloaded .deb of each package, in the same order.
    let debs: [String]
    let supplier: DebianPackages
    let skeleton: [(String, LayerNode)]
    let epoch: Int64
    let debug: Bool

    var label: String { "OS layer" }

    /// The packages by digest, the preset's files, the timestamp and the writer: everything in the layer's bytes.
    func cacheKey(writer: LayerWriter) throws -> Digest? {
        var hasher = SHA256Hasher()
        func add(_ text: String) { hasher.update(Data((text + "\n").utf8)) }
        add(LayerCache.formatVersion)
        add(writer.cacheIdentity)
        add("epoch \(epoch)")
        for package in packages.sorted(by: { $0.name < $1.name }) { add("package \(package.name) \(package.sha256)") }
        for (path, node) in skeleton {
            var content = ""
            if let data = node.content, case .bytes(let bytes) = data { content = Digest.sha256(of: bytes).description }
            add("file \(path) \(node.kind) \(String(node.permissions, radix: 8)) \(node.uid):\(node.gid) \(content)")
        }
        return hasher.finalize()
    }

    func make(scratch: String) async throws -> (tree: LayerTree, index: OSLayerIndex) {
        let unpacked = try await unpackAll(under: scratch)
        let (tree, owners) = try OSLayer.build(packages: unpacked, skeleton: skeleton, debug: debug)
        return (tree, OSLayerIndex(tree: tree, owners: owners))
    }

    /// Unpacks every .deb, one task per core (xz decompression dominates); results keep the packages' order.
    private func unpackAll(under root: String) async throws -> [UnpackedPackage] {
        let (packages, debs, supplier) = (self.packages, self.debs, self.supplier)
        // Up to 64 MiB of small files stay in memory; the rest is staged on disk.
        let memory = MemoryBudget(bytes: 64 << 20)
        return try await withThrowingTaskGroup(of: (Int, UnpackedPackage).self) { group in
            var next = 0
            func startNext() {
                guard next < packages.count else { return }
                let index = next
                next += 1
                group.addTask {
                    let dir = root + "/" + packages[index].name
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    return (index, try supplier.unpack(debs[index], download: packages[index], staging: dir, memory: memory))
                }
            }
            for _ in 0..<max(1, ProcessInfo.processInfo.activeProcessorCount) { startNext() }
            var results = [UnpackedPackage?](repeating: nil, count: packages.count)
            while let (index, unpacked) = try await group.next() {
                results[index] = unpacked
                startNext()
            }
            return results.compactMap { $0 }
        }
    }
}
