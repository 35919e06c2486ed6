import Debian
import Foundation

/// Debian index speed on the frozen mirror: parsing a full Packages.xz and resolving the python3 closure.
enum DebianBenchmarks: BenchmarkSuite {
    static let name = "debian"

    /// `../shared/testdata/debian-mirror` beside the package (or `$DISTILL_SHARED_TESTDATA/debian-mirror`).
    static var mirror: URL {
        if let override = ProcessInfo.processInfo.environment["DISTILL_SHARED_TESTDATA"] {
            return URL(fileURLWithPath: override).appendingPathComponent("debian-mirror")
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/testdata/debian-mirror")
    }

    /// What the python3 preset requests on bookworm.
    static let python3Roots = [
        "base-files", "netbase", "tzdata", "media-types", "ca-certificates", "libc6", "libssl3", "libgcc-s1", "libstdc++6", "libgomp1",
        "python3.11",
    ]

    static func run(workDirectory: URL) async throws -> [BenchmarkRow] {
        let packages = mirror.appendingPathComponent("dists/bookworm/main/binary-amd64/Packages.xz").path
        guard FileManager.default.fileExists(atPath: packages) else {
            FileHandle.standardError.write(Data("debian: \(packages) not found; skipping\n".utf8))
            return []
        }

        var records: [PackageRecord] = []
        let parse = try median(runs: 5) {
            records = try PackagesFile.load(path: packages, name: "Packages.xz", suite: "bookworm")
        }
        let decompressOnly = try median(runs: 5) { _ = try PackagesFile.decompress(path: packages, name: "Packages.xz") }
        let xz = try await median(runs: 3) { try await runXZ(packages) }

        var index = PackageIndex(architecture: "amd64", records: [])
        let build = try median(runs: 5) { index = PackageIndex(architecture: "amd64", records: records) }
        var closure = 0
        let resolve = try median(runs: 50) { closure = try Resolver(index: index).resolve(python3Roots).packages.count }

        return [
            BenchmarkRow(
                name: "parse full Packages.xz (bookworm amd64, \(records.count) stanzas)", distill: seconds(parse),
                peer: "\(seconds(xz)) (xz -dc alone)", ratio: String(format: "%.2f×", parse / xz), goal: "< 1 s", met: parse < 1),
            BenchmarkRow(
                name: "decompression alone (libarchive xz; parsing overlaps it)", distill: seconds(decompressOnly), peer: "–", ratio: "–", goal: "–", met: nil),
            BenchmarkRow(
                name: "build the package index (newest wins, Provides map)", distill: milliseconds(build), peer: "–", ratio: "–", goal: "–",
                met: nil),
            BenchmarkRow(
                name: "resolve python3 closure from parsed index (\(closure) packages)", distill: milliseconds(resolve), peer: "–", ratio: "–",
                goal: "< 50 ms", met: resolve < 0.05),
        ]
    }

    /// The median wall time of `runs` calls of an async body.
    static func median(runs: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    /// The median wall time of `runs` calls.
    static func median(runs: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    /// `xz -dc FILE > /dev/null`, the floor for any tool that reads the index.
    static func runXZ(_ path: String) async throws {
        try await LayerBenchmarks.shell("xz -dc '\(path)' > /dev/null")
    }

    static func seconds(_ t: Double) -> String { String(format: "%.3f s", t) }
    static func milliseconds(_ t: Double) -> String { String(format: "%.1f ms", t * 1000) }
}
