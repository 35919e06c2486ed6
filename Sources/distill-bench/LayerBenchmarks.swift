import Archive
import Foundation
import ImageFormat
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Packing a ~300 MB tree of real files into a gzip layer: distill against `tar | gzip -6 -n | sha256sum`
/// and `umoci insert`, in the same run, on the same files; plus layer size, peak memory and hashing speed.
///
/// Each timing is the median of `DISTILL_BENCH_REPEAT` runs (default 3), with the page cache warmed first,
/// so every contender reads from memory. distill writes its blob to a file and fsyncs it, as a build does.
enum LayerBenchmarks: BenchmarkSuite {
    static let name = "layers"

    /// Where the tree's files come from, in order, and how many bytes each may give.
    static let sources: [(path: String, budget: Int64)] = [
        ("/usr/lib", 120_000_000), ("/usr/share", 100_000_000), ("/opt/swift/usr/lib", 80_000_000),
    ]
    static let target: Int64 = 300_000_000
    /// Files above this are left out so one giant library does not make the tree.
    static let largestFile: Int64 = 32 << 20

    static func run(workDirectory: URL) async throws -> [BenchmarkRow] {
        let work = workDirectory.path
        let tree = work + "/tree"
        let bytes = try await buildTree(at: tree)
        let repeats = Int(ProcessInfo.processInfo.environment["DISTILL_BENCH_REPEAT"] ?? "") ?? 3
        log("tree: \(bytes / 1_000_000) MB of real files at \(tree); \(repeats) runs each")
        try await shell("tar -cf - -C '\(tree)' . > /dev/null")  // warm the page cache for everyone

        let gnuTar = "tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - -C '\(tree)' ."
        let gzipSize = Int64(try await shell("\(gnuTar) | gzip -6 -n | wc -c").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0

        let layerTree = try DirectoryScanner().scan(tree)
        var rows: [BenchmarkRow] = []
        // gzip level 6 with each engine (the headline), and libdeflate's level 4, which matches gzip -6's size.
        let configurations = [(GzipEngine.zlib, 6), (.libdeflate, 6), (.libdeflate, 4)].filter { $0.0.isAvailable }
        var contenders: [Contender] = configurations.map { engine, level in
            Contender(name: "\(engine) level \(level)") {
                let path = work + "/distill-\(engine)-\(level).tar.gz"
                defer { try? FileManager.default.removeItem(atPath: path) }
                var size: Int64 = 0
                resetPeakRSS()
                let timing = try await measureCPU(children: false) {
                    size = try LayerWriter(gzipLevel: level, gzipEngine: engine).write(layerTree, to: path).descriptor.size
                }
                return (timing, size, peakRSS())
            }
        }
        contenders.append(Contender(name: "pipeline") {
            (try await measureCPU(children: true) { try await shell("\(gnuTar) | gzip -6 -n | sha256sum") }, gzipSize, 0)
        })
        if (try? await shell("command -v umoci")) != nil {
            contenders.append(Contender(name: "umoci") {
                let layout = work + "/umoci"
                try? FileManager.default.removeItem(atPath: layout)
                try await shell("umoci init --layout '\(layout)' && umoci new --image '\(layout):bench'")
                let timing = try await measureCPU(children: true) { try await shell("umoci insert --image '\(layout):bench' '\(tree)' /") }
                return (timing, try largestBlob(in: layout + "/blobs/sha256"), 0)
            })
        }
        // Round-robin, so a change in what else the machine runs falls on every contender alike.
        for _ in 0..<max(1, repeats) {
            for contender in contenders { try await contender.runOnce() }
        }
        for contender in contenders {
            log("\(contender.name): \(format(contender.median)), \(contender.size) bytes, peak RSS \(contender.peak / 1_000_000) MB")
        }
        let distill = contenders.filter { $0.name != "pipeline" && $0.name != "umoci" }.map {
            (label: $0.name, time: $0.median, size: $0.size, rss: $0.peak)
        }
        let pipeline = contenders.first { $0.name == "pipeline" }!.median
        let umoci = contenders.first { $0.name == "umoci" }.map { (time: $0.median, size: $0.size) }

        for result in distill {
            let engine = result.label
            let ratio = result.time.wall / pipeline.wall
            rows.append(BenchmarkRow(
                name: "pack \(bytes / 1_000_000) MB → gzip layer + digests (\(engine))", distill: format(result.time),
                peer: "\(format(pipeline)) tar|gzip -6 -n|sha256sum", ratio: String(format: "%.2f×", ratio),
                goal: "≤ 0.60×", met: ratio <= 0.6))
            if let umoci {
                let ratio = result.time.wall / umoci.time.wall
                rows.append(BenchmarkRow(
                    name: "pack vs umoci insert (\(engine))", distill: format(result.time), peer: "\(format(umoci.time)) umoci",
                    ratio: String(format: "%.2f×", ratio), goal: "< 1.00×", met: ratio < 1.0))
            }
            let sizeRatio = Double(result.size) / Double(gzipSize)
            rows.append(BenchmarkRow(
                name: "layer size vs gzip -6 (\(engine))", distill: "\(result.size / 1000) kB", peer: "\(gzipSize / 1000) kB gzip -6",
                ratio: String(format: "%.3f×", sizeRatio), goal: "≤ 1.02×", met: sizeRatio <= 1.02))
            rows.append(BenchmarkRow(
                name: "peak RSS while packing (\(engine))", distill: "\(result.rss / 1_000_000) MB", peer: "–", ratio: "–",
                goal: "< 100 MB", met: result.rss < 100_000_000))
        }
        if let umoci {
            rows.append(BenchmarkRow(
                name: "umoci layer size vs gzip -6 (reference)", distill: "–", peer: "\(umoci.size / 1000) kB umoci",
                ratio: String(format: "%.3f×", Double(umoci.size) / Double(gzipSize)), goal: "–", met: nil))
        }
        rows.append(try await hashing(work: work, tree: layerTree, repeats: repeats))
        return rows
    }

    /// sha256 of the uncompressed layer: distill's hasher against `sha256sum` on the same file.
    static func hashing(work: String, tree: LayerTree, repeats: Int) async throws -> BenchmarkRow {
        let tar = work + "/layer.tar"
        let size = try LayerWriter(compression: .none).write(tree, to: tar).uncompressedSize
        try await shell("cat '\(tar)' > /dev/null")
        let ours = try await median(repeats) { try await measure { _ = try hash(tar) } }
        let theirs = try await median(repeats) { try await measure { try await shell("sha256sum '\(tar)'") } }
        try? FileManager.default.removeItem(atPath: tar)
        let mbps = { (seconds: Double) in String(format: "%.0f MB/s", Double(size) / seconds / 1_000_000) }
        return BenchmarkRow(
            name: "sha256 of a \(size / 1_000_000) MB layer", distill: mbps(ours), peer: "\(mbps(theirs)) sha256sum",
            ratio: String(format: "%.2f×", ours / theirs), goal: "≤ 1.00× (time)", met: ours <= theirs)
    }

    static func hash(_ path: String) throws -> Digest { try Digest.sha256(ofFile: path) }

    /// Copies a deterministic selection of real files (sorted walk of each source, within its budget) into `root`.
    static func buildTree(at root: String) async throws -> Int64 {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var total: Int64 = 0
        // What an absent or small source could not give, the next one may.
        var carry: Int64 = 0
        for (index, source) in sources.enumerated() {
            let budget = min(target - total, source.budget + carry)
            carry = budget
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            var taken: Int64 = 0
            var list: [String] = []
            let enumerator = FileManager.default.enumerator(atPath: source.path)!
            var paths: [String] = []
            while let path = enumerator.nextObject() as? String { paths.append(path) }
            for path in paths.sorted() {
                var st = stat()
                let full = source.path + "/" + path
                guard lstat(full, &st) == 0 else { continue }
                let type = st.st_mode & S_IFMT
                if type == S_IFLNK {
                    list.append(path)
                } else if type == S_IFREG, Int64(st.st_size) <= largestFile, taken + Int64(st.st_size) <= budget,
                    access(full, R_OK) == 0
                {
                    list.append(path)
                    taken += Int64(st.st_size)
                }
            }
            let destination = root + "/" + String(index)
            try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
            let listFile = root + "/../list-\(index)"
            try Data(list.joined(separator: "\0").utf8).write(to: URL(fileURLWithPath: listFile))
            try await shell(
                "tar -C '\(source.path)' --null --no-recursion -T '\(listFile)' -cf - 2>/dev/null | tar -C '\(destination)' -xf -")
            total += taken
            carry = budget - taken
        }
        return total
    }

    static func largestBlob(in directory: String) throws -> Int64 {
        try FileManager.default.contentsOfDirectory(atPath: directory).map {
            (try FileManager.default.attributesOfItem(atPath: directory + "/" + $0)[.size] as? NSNumber)?.int64Value ?? 0
        }.max() ?? 0
    }

    // MARK: measuring

    static func measure(_ body: () async throws -> Void) async rethrows -> Double {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        try await body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    /// CPU seconds (user + system) used so far by this process's threads, or by its waited-for children.
    static func cpuSeconds(children: Bool) -> Double {
        var usage = rusage()
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Wall and CPU seconds of `body`; CPU counts this process or, for peers, the commands it waited for.
    static func measureCPU(children: Bool, _ body: () async throws -> Void) async rethrows -> Timing {
        let cpu = cpuSeconds(children: children)
        let wall = try await measure(body)
        return Timing(wall: wall, cpu: cpuSeconds(children: children) - cpu)
    }

    static func median(_ count: Int, _ body: () async throws -> Double) async rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, count) { times.append(try await body()) }
        return times.sorted()[times.count / 2]
    }

    /// Resets the kernel's peak-RSS mark for this process (Linux: `5` to clear_refs), so the next reading is this run's.
    static func resetPeakRSS() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// The peak resident set size since the last reset, in bytes (VmHWM).
    static func peakRSS() -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (Int64(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }

    static func format(_ seconds: Double) -> String { String(format: "%.2f s", seconds) }
    static func format(_ timing: Timing) -> String { String(format: "%.2f s (cpu %.1f s)", timing.wall, timing.cpu) }

    static func log(_ message: String) { FileHandle.standardError.write(Data("  \(message)\n".utf8)) }

    /// Runs `command` with bash (pipefail) through swift-subprocess, returning stdout; throws on a non-zero exit.
    @discardableResult
    static func shell(_ command: String) async throws -> String {
        let output = try await ChildProcess.run("/bin/bash", ["-o", "pipefail", "-c", command])
        guard output.status == 0 else { throw CommandFailed(command: command, status: output.status) }
        return output.text
    }
}

/// A peer tool or shell step of a benchmark exited with an error.
struct CommandFailed: Error, CustomStringConvertible {
    var command: String
    var status: Int32
    var description: String { "benchmark step `\(command)` exited \(status)" }
}

/// Wall-clock and CPU seconds of one run; CPU shows the work done, whatever else the machine was doing.
struct Timing {
    var wall: Double
    var cpu: Double
}

/// One way of packing the tree, run several times; keeps its timings, output size and peak memory.
final class Contender {
    let name: String
    private let body: () async throws -> (Timing, Int64, Int64)
    private var timings: [Timing] = []
    private(set) var size: Int64 = 0
    private(set) var peak: Int64 = 0

    init(name: String, _ body: @escaping () async throws -> (Timing, Int64, Int64)) {
        self.name = name
        self.body = body
    }

    func runOnce() async throws {
        let (timing, size, peak) = try await body()
        timings.append(timing)
        self.size = size
        self.peak = max(self.peak, peak)
    }

    /// The run with the median wall time.
    var median: Timing { timings.sorted { $0.wall < $1.wall }[timings.count / 2] }
}
