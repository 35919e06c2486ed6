import Archive
import Foundation
import Testing
import TestSupport

@Suite("Compression ratio")
struct CompressionRatioTests {
    /// About `budget` bytes of real files from /usr/share and /usr/lib (on every Debian), in a fixed order.
    static func realFiles(budget: Int64) throws -> LayerTree {
        var tree = LayerTree()
        var total: Int64 = 0
        for top in ["/usr/share", "/usr/lib"] {
            let enumerator = FileManager.default.enumerator(atPath: top)!
            var paths: [String] = []
            while let path = enumerator.nextObject() as? String { paths.append(path) }
            for path in paths.sorted() where total < budget / 2 * (top == "/usr/share" ? 1 : 2) {
                var st = stat()
                guard lstat(top + "/" + path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, access(top + "/" + path, R_OK) == 0 else { continue }
                tree.insert(.file(.file(path: top + "/" + path, size: Int64(st.st_size))), at: String(top.dropFirst()) + "/" + path)
                total += Int64(st.st_size)
            }
        }
        return tree
    }

    @Test("a layer of ~50 MB of real files is within 1.02× of gzip -6 on the same tar", arguments: availableEngines)
    func withinTwoPercentOfGzip(engine: GzipEngine) throws {
        let dir = try TemporaryDirectory("ratio")
        let tree = try Self.realFiles(budget: 50_000_000)
        let tar = try LayerWriter(compression: .none).write(tree, to: dir("layer.tar"))
        let ours = try LayerWriter(compression: .gzip, gzipEngine: engine).write(tree, to: dir("layer.tar.gz"))
        #expect(ours.diffID == tar.diffID)
        let reference = Int64(try Tool.check(["sh", "-c", "gzip -6 -n -c '\(dir("layer.tar"))' | wc -c"])
            .trimmingCharacters(in: .whitespacesAndNewlines))!
        let ratio = Double(ours.descriptor.size) / Double(reference)
        print("ratio \(engine): \(ours.descriptor.size) / \(reference) = \(ratio) over \(tar.uncompressedSize) tar bytes")
        #expect(ratio <= 1.02, "\(engine): \(ours.descriptor.size) bytes vs gzip -6's \(reference)")
    }
}
