import Archive
import Audit
import AuditFixtures
import Foundation
import ImageFormat
import ImageTransport
import SBOM
import TestSupport
import Testing

/// `inspect` on an image whose second layer rewrites and deletes files of the first.
struct InspectTests {
    /// What each layer holds: files with sizes, and whiteouts (`.wh.` names).
    static let layers: [[(path: String, size: Int)]] = [
        [("etc/config", 100), ("usr/lib/big.so", 5000), ("usr/share/doc/a.txt", 300), ("usr/share/doc/b.txt", 700), ("app/old.py", 40), ("app/keep.py", 60)],
        [("etc/config", 120), ("usr/lib/.wh.big.so", 0), ("usr/share/.wh.doc", 0), ("app/new.py", 80), ("app/old.py", 10)],
    ]

    /// dive's wasted bytes, computed here from the lists above without the code under test: every path seen as a leaf
    /// in two or more layers costs the sum of its sizes there; a file's whiteout costs nothing, a directory's costs
    /// what was below it.
    static func diveWastedBytes() -> (wasted: Int64, score: Double) {
        var visits: [String: [Int64]] = [:]
        var below: [String: Int64] = [:]
        for layer in layers {
            for (path, size) in layer {
                let name = (path as NSString).lastPathComponent
                if name.hasPrefix(".wh.") {
                    let target = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(String(name.dropFirst(4)))
                    let directorySize = below.filter { $0.key.hasPrefix(target + "/") }.values.reduce(0, +)
                    visits[target, default: []].append(directorySize)
                    below = below.filter { $0.key != target && !$0.key.hasPrefix(target + "/") }
                } else {
                    visits[path, default: []].append(Int64(size))
                    below[path] = Int64(size)
                }
            }
        }
        let wasted = visits.values.filter { $0.count > 1 }.map { $0.reduce(0, +) }.reduce(0, +)
        let minimum = visits.values.map { $0.min()! }.reduce(0, +)
        let total = visits.values.map { $0.reduce(0, +) }.reduce(0, +)
        return (wasted, Double(minimum) / Double(total))
    }

    static func image(in dir: TemporaryDirectory) async throws -> ImageReference {
        try await HandMadeImage.write(
            layers: layers.map { HandMadeImage.tree($0.map { ($0.path, HandMadeImage.file(size: $0.size)) }) },
            history: ["debian packages: base", "app: rewrite"], to: dir("image"))
    }

    @Test func wastedBytesAreWhatDivesAlgorithmGives() async throws {
        let dir = try TemporaryDirectory("inspect")
        let inspection = try await Inspector.inspect(try await Self.image(in: dir).openSource())
        let expected = Self.diveWastedBytes()
        // etc/config 100+120, big.so 5000+0, app/old.py 40+10; usr/share/doc's deletion is counted at the directory
        // path, which the first layer never had as a leaf, so dive does not count it.
        #expect(expected.wasted == 5270)
        #expect(inspection.efficiency.wastedBytes == expected.wasted)
        #expect(abs(inspection.efficiency.score - expected.score) < 1e-9)
        #expect(inspection.efficiency.inefficiencies.map(\.path) == ["/usr/lib/big.so", "/etc/config", "/app/old.py"])
        #expect(inspection.efficiency.userWastedRatio == Double(5270) / Double(120 + 80 + 10))
    }

    @Test func layersCarryTheirSizesAndWhatMadeThem() async throws {
        let dir = try TemporaryDirectory("inspect-layers")
        let reference = try await Self.image(in: dir)
        let inspection = try await Inspector.inspect(try reference.openSource(), largest: 3)
        let image = try await reference.openSource().image(for: nil)
        #expect(inspection.layers.map(\.compressedSize) == image.manifest.layers.map(\.size))
        #expect(inspection.layers.map(\.digest) == image.manifest.layers.map(\.digest))
        #expect(inspection.layers.map(\.createdBy) == ["debian packages: base", "app: rewrite"])
        #expect(inspection.layers.map(\.contentSize) == [6200, 210])
        // The uncompressed size is the tar's: gunzip agrees.
        for layer in inspection.layers {
            let blob = dir.path + "/image/blobs/sha256/" + layer.digest.encoded
            let tarSize = try Tool.check(["sh", "-c", "gzip -dc < '\(blob)' | wc -c"]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(layer.uncompressedSize == Int64(tarSize), "layer \(layer.number)")
        }
        #expect(inspection.largestFiles.map(\.path) == ["/etc/config", "/app/new.py", "/app/keep.py"])
        #expect(inspection.largestFiles.map(\.layer) == [2, 2, 1])
        #expect(inspection.fileSystemSize == 120 + 80 + 10 + 60)
        #expect(inspection.text.contains("efficiency"))
        let decoded = try JSONDecoder().decode(Inspection.self, from: try inspection.json())
        #expect(decoded == inspection)
    }

    @Test func anImageWithoutWasteScoresOne() async throws {
        let dir = try TemporaryDirectory("inspect-clean")
        let reference = try await HandMadeImage.write(layers: [HandMadeImage.tree([("a", HandMadeImage.file(size: 10))])], to: dir("image"))
        let inspection = try await Inspector.inspect(try reference.openSource())
        #expect(inspection.efficiency.wastedBytes == 0 && inspection.efficiency.score == 1)
    }
}
