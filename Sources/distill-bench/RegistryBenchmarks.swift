import Foundation
import ImageBuild
import TestSupport

/// Push and pull of the python3 example (built from the frozen mirror) to and from Debian's
/// docker-registry on 127.0.0.1, next to `skopeo copy --all` between the same OCI layout and the same registry.
/// Every round goes to repositories of its own: a push with nothing known sends every blob; a push to a new repository
/// while each tool remembers where the registry holds the blobs mounts them.
enum RegistryBenchmarks: BenchmarkSuite {
    static let name = "registry"

    static func run(workDirectory: URL) async throws -> [BenchmarkRow] {
        let mirror = try LocalHTTPServer(serving: SharedTestData.debianMirror)
        let registry = try LocalRegistry(.plain)
        defer {
            mirror.stop()
            registry.stop()
        }
        let work = workDirectory.path
        let example = try await PythonExample.build(in: work, mirror: mirror)
        let (built, layout) = (example.result, example.layout)
        // The release `distill` beside this benchmark binary, as a user runs it (start-up included, as for skopeo).
        let distill = Measure.distill
        let push = [distill, "push", "--insecure-registry", registry.host, "oci:\(layout):latest"]
        // skopeo remembers in its blob info cache (root: /var/lib/containers/cache) where it has seen each blob and
        // mounts it from there; distill does the same with its blob locations (in XDG_CACHE_HOME). "Nothing known"
        // rounds give each a fresh memory (skopeo's cache folder under a private tmpfs), "known" rounds keep it.
        let freshCache = try Self.skopeoWithFreshCache()
        func skopeo(_ arguments: [String], fresh: Bool) -> [String] {
            (fresh ? freshCache : []) + ["skopeo", "copy", "--all", "--quiet"] + arguments
        }
        // Both memories learn where the registry holds the blobs before the "known" rounds.
        _ = try Measure.command(push + ["--no-sbom", "\(registry.host)/bench/distill-first:1"], environment: ["XDG_CACHE_HOME": work + "/xdg"])
        _ = try Measure.command(skopeo(["--dest-tls-verify=false", "oci:\(layout):latest", "docker://\(registry.host)/bench/skopeo-first:1"], fresh: false))
        var cold = Samples(), known = Samples(), withSBOM: [Double] = []
        var distillPull: [Double] = [], skopeoPull: [Double] = []
        for round in 0..<5 {
            let ours = "\(registry.host)/bench/distill-\(round):1", theirs = "\(registry.host)/bench/skopeo-\(round):1"
            cold.distill.append(
                try Measure.command(push + ["--no-sbom", ours], environment: ["XDG_CACHE_HOME": work + "/xdg-cold-\(round)"]))
            cold.peer.append(
                try Measure.command(skopeo(["--dest-tls-verify=false", "oci:\(layout):latest", "docker://" + theirs], fresh: true)))
            // A new repository of the same registry, the blobs pushed before: both mount them.
            known.distill.append(
                try Measure.command(push + ["--no-sbom", "\(registry.host)/bench/distill-known-\(round):1"], environment: ["XDG_CACHE_HOME": work + "/xdg"]))
            known.peer.append(
                try Measure.command(skopeo(["--dest-tls-verify=false", "oci:\(layout):latest", "docker://\(registry.host)/bench/skopeo-known-\(round):1"], fresh: false)))
            distillPull.append(
                try Measure.command([distill, "pull", "--insecure-registry", registry.host, ours, "oci:\(work)/pulled-\(round):latest"],
                    environment: ["XDG_CACHE_HOME": work + "/xdg-pull-\(round)"]))
            skopeoPull.append(
                try Measure.command(skopeo(["--src-tls-verify=false", "docker://" + theirs, "oci:\(work)/skopeo-\(round):latest"], fresh: true)))
            // What `distill push` of a build output does by default: the image, then its SPDX and CycloneDX referrers.
            withSBOM.append(
                try Measure.command(push + ["\(registry.host)/bench/sbom-\(round):1"], environment: ["XDG_CACHE_HOME": work + "/xdg-sbom-\(round)"]))
            try? FileManager.default.removeItem(atPath: work + "/pulled-\(round)")
            try? FileManager.default.removeItem(atPath: work + "/skopeo-\(round)")
        }
        let size = built.images.reduce(Int64(0)) { $0 + $1.compressedSize }
        let what = String(format: "python3 example (%.1f MiB of layers), local docker-registry", Double(size) / 1_048_576)
        let pull = Measure.median(distillPull), peerPull = Measure.median(skopeoPull)
        let sbom = Measure.median(withSBOM)
        let isolation = freshCache.isEmpty ? " (its blob info cache could not be set aside: it may mount)" : ""
        return [
            BenchmarkRow(
                name: "push, \(what), nothing known: every blob sent", distill: seconds(cold.distillMedian),
                peer: "skopeo copy --all, fresh blob info cache\(isolation): \(seconds(cold.peerMedian))", ratio: ratio(cold.distillMedian, cold.peerMedian),
                goal: "≤ 1.0× skopeo", met: cold.distillMedian <= cold.peerMedian),
            BenchmarkRow(
                name: "push to a new repository, \(what), blobs known elsewhere in the registry: mounted", distill: seconds(known.distillMedian),
                peer: "skopeo copy --all, its blob info cache kept: \(seconds(known.peerMedian))", ratio: ratio(known.distillMedian, known.peerMedian),
                goal: "≤ 1.0× skopeo", met: known.distillMedian <= known.peerMedian),
            BenchmarkRow(
                name: "pull, \(what)", distill: seconds(pull), peer: "skopeo copy --all: \(seconds(peerPull))", ratio: ratio(pull, peerPull),
                goal: "≤ 1.0× skopeo", met: pull <= peerPull),
            BenchmarkRow(
                name: "push with its SBOMs attached (2 referrers), \(what)", distill: seconds(sbom), peer: "skopeo copy --all (no SBOMs): \(seconds(cold.peerMedian))",
                ratio: ratio(sbom, cold.peerMedian), goal: "–", met: nil),
        ]
    }

    /// Paired timings of distill and its peer.
    private struct Samples {
        var distill: [Double] = []
        var peer: [Double] = []
        var distillMedian: Double { Measure.median(distill) }
        var peerMedian: Double { Measure.median(peer) }
    }

    /// A prefix that runs a command with an empty tmpfs over skopeo's (root) blob info cache folder, in a private mount
    /// namespace; empty when that cannot be done here (not root, no unshare).
    private static func skopeoWithFreshCache() throws -> [String] {
        let folder = getuid() == 0 ? "/var/lib/containers/cache" : NSHomeDirectory() + "/.local/share/containers/cache"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs \"$0\" && exec \"$@\"", folder]
        guard (try? Tool.check(prefix + ["true"])) != nil else { return [] }
        return prefix
    }

    private static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
    private static func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.2f×", a / b) }
}
