import Archive
import Foundation
import Testing
import TestSupport

/// Packing streams: a 1 GB tree packs in under 100 MB of resident memory.
///
/// The packer runs in a child process — this same test binary, filtered to ``memoryProbeChild()`` —
/// under `/usr/bin/time`, so the number is the packer's own peak and not that of the tests running
/// beside it in this process.
@Suite("Memory")
struct MemoryTests {
    static let treeVariable = "DISTILL_MEMORY_PROBE_TREE"
    static let outputVariable = "DISTILL_MEMORY_PROBE_OUT"

    /// 100 files of 10 MiB: mostly 16 KiB-periodic random data (deflate finds long matches quickly, so the
    /// test stays fast in debug builds) with a slice of word-like data that makes deflate work.
    static func makeGigabyteTree(at root: String) throws -> Int64 {
        let fileSize = 10 << 20
        let wordy = sampleBytes(512 << 10, seed: 77)
        var total: Int64 = 0
        var state: UInt64 = 0x1234_5678
        for index in 0..<100 {
            var period = [UInt8](repeating: 0, count: 16 << 10)
            for i in period.indices {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                period[i] = UInt8(truncatingIfNeeded: state)
            }
            var periodic = Data(capacity: fileSize - wordy.count)
            while periodic.count < fileSize - wordy.count { periodic.append(contentsOf: period) }
            let path = root + "/d\(index % 10)/file-\(index).bin"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.write(contentsOf: Data(wordy))
            try handle.write(contentsOf: periodic.prefix(fileSize - wordy.count))
            try handle.close()
            total += Int64(fileSize)
        }
        return total
    }

    @Test("packing a 1 GB tree stays under 100 MB RSS", .timeLimit(.minutes(5)))
    func gigabyteUnder100MB() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            Issue.record("/usr/bin/time is missing: apt-get install time")
            return
        }
        let dir = try TemporaryDirectory("memory")
        let total = try Self.makeGigabyteTree(at: dir("tree"))
        #expect(total >= 1_000_000_000)
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        try Tool.check(
            ["/usr/bin/time", "-f", "%M", "-o", dir("rss"), testBinary, "--testing-library", "swift-testing", "--filter", "memoryProbeChild"],
            environment: [Self.treeVariable: dir("tree"), Self.outputVariable: dir("layer.tar.gz")])
        let kilobytes = Int(try String(contentsOfFile: dir("rss"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
        let report = try String(contentsOfFile: dir("layer.tar.gz.report"), encoding: .utf8)
        #expect(report.contains("uncompressed \(total / 1_000_000)"), "\(report)")
        #expect(kilobytes < 100 * 1024, "max RSS \(kilobytes) KB while packing \(total) bytes")
        print("memory: packed \(total) bytes with max RSS \(kilobytes) KB; \(report)")
    }

    /// The child side of ``gigabyteUnder100MB()``; does nothing unless that test started it.
    @Test("memory probe (child of the 1 GB test; a no-op on its own)")
    func memoryProbeChild() throws {
        let env = ProcessInfo.processInfo.environment
        guard let tree = env[Self.treeVariable], let output = env[Self.outputVariable] else { return }
        let blob = try LayerWriter().write(try DirectoryScanner().scan(tree), to: output)
        let report = "uncompressed \(blob.uncompressedSize / 1_000_000) MB, compressed \(blob.descriptor.size) bytes, \(blob.diffID)"
        try report.write(toFile: output + ".report", atomically: true, encoding: .utf8)
    }
}
