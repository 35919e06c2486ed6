import Foundation
import TestSupport

/// `distill build` of a file with three variants (debian12/Python 3.11, debian13/Python 3.13, a debug one) against
/// the three single builds (`--variant NAME`, one after another), on the frozen mirror served on 127.0.0.1.
enum VariantBenchmarks: BenchmarkSuite {
    static let name = "variants"

    static let buildFile = VariantsFixture.buildFile

    static func run(workDirectory: URL) async throws -> [BenchmarkRow] {
        let folder = try TemporaryDirectory("bench-variants-mirror")
        let mirror = try LocalHTTPServer(serving: try SharedTestData.debianMirrorWithExtras(in: folder))
        defer { mirror.stop() }
        let work = workDirectory.path
        let distill = Measure.distill
        let variants = ["py311", "py313", "debug"]

        /// A folder holding the build file, and a cache of its own (nothing shared with the other contender).
        func project(_ name: String) throws -> (directory: String, environment: [String: String]) {
            let directory = work + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try (buildFile + "mirror: \(mirror.baseURL)\n").write(toFile: directory + "/distill.yaml", atomically: true, encoding: .utf8)
            return (directory, ["XDG_CACHE_HOME": directory + "/xdg"])
        }
        func timed(_ arguments: [String], in project: (directory: String, environment: [String: String])) throws -> Double {
            try Measure.command([distill] + arguments, environment: project.environment, cwd: project.directory)
        }

        let together = try project("together")
        let apart = try project("apart")
        // Cold: empty caches, no lock files; the single builds share their cache as one after another would.
        let coldTogether = try timed(["build"], in: together)
        let coldApart = try variants.reduce(0.0) { sum, name in try sum + timed(["build", "--variant", name], in: apart) }
        // Warm: the same again with every cache and lock in place (median of three).
        var warmTogether: [Double] = []
        var warmApart: [Double] = []
        for _ in 0..<3 {
            warmTogether.append(try timed(["build"], in: together))
            warmApart.append(try variants.reduce(0.0) { sum, name in try sum + timed(["build", "--variant", name], in: apart) })
        }
        let (warmOne, warmSum) = (Measure.median(warmTogether), Measure.median(warmApart))
        return [
            BenchmarkRow(
                name: "three variants (debian12/py3.11, debian13/py3.13, debug) in one `distill build`, cold cache (frozen mirror on 127.0.0.1)",
                distill: String(format: "%.2f s", coldTogether),
                peer: String(format: "sum of the three `distill build --variant NAME`: %.2f s", coldApart),
                ratio: String(format: "%.2f×", coldTogether / coldApart), goal: "≤ 1.00× the sum", met: coldTogether <= coldApart),
            BenchmarkRow(
                name: "three variants in one `distill build`, warm cache (comparison table included)",
                distill: String(format: "%.2f s", warmOne),
                peer: String(format: "sum of the three `distill build --variant NAME`: %.2f s", warmSum),
                ratio: String(format: "%.2f×", warmOne / warmSum), goal: "≤ 1.00× the sum", met: warmOne <= warmSum),
        ]
    }
}
