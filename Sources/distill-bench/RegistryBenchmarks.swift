import Foundation
import ImageBuild
import ImageFormat
import ImageTransport
import Registry
import TestSupport

/// Push and pull of the python3 example (amd64 + arm64, built from the frozen mirror) to and from Debian's
/// docker-registry on 127.0.0.1, next to `skopeo copy --all` between the same OCI layout and the same registry.
/// Every round goes to a repository of its own, so every blob is sent (nothing is found there already).
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
        let app = work + "/python-app"
        try FileManager.default.copyItem(atPath: SharedTestData.packageRoot.path + "/examples/python-app", toPath: app)
        try? FileManager.default.removeItem(atPath: app + "/build")
        try? FileManager.default.removeItem(atPath: app + "/distill.lock")
        let yaml = try String(contentsOfFile: app + "/distill.yaml", encoding: .utf8) + "mirror: \(mirror.baseURL)\nsuites: [bookworm]\n"
        try yaml.write(toFile: app + "/distill.yaml", atomically: true, encoding: .utf8)
        var options = BuildOptions(cacheDirectory: work + "/cache")
        options.outputDirectory = app + "/build"
        let built = try await ImageBuilder(build: try BuildFile.load(app + "/distill.yaml"), options: options).run()
        let layout = app + "/build/python-app"
        RegistryOpener.install(options: RegistryOptions(insecureHosts: [registry.host], credentials: RegistryCredentialStore(files: [])))

        var distillPush: [Double] = [], distillPull: [Double] = [], skopeoPush: [Double] = [], skopeoPull: [Double] = [], withSBOM: [Double] = []
        for round in 0..<5 {
            let ours = try RegistryReference(parsing: "\(registry.host)/bench/distill-\(round):1")
            distillPush.append(try await timed { _ = try await copy(.oci(path: layout, tag: "latest"), to: .registry(ours)) })
            distillPull.append(try await timed { _ = try await copy(.registry(ours), to: .oci(path: work + "/pulled-\(round)", tag: "latest")) })
            let theirs = "docker://\(registry.host)/bench/skopeo-\(round):1"
            skopeoPush.append(try await timed { try Tool.check(["skopeo", "copy", "--all", "--quiet", "--dest-tls-verify=false", "oci:\(layout):latest", theirs]) })
            skopeoPull.append(
                try await timed {
                    try Tool.check(["skopeo", "copy", "--all", "--quiet", "--src-tls-verify=false", theirs, "oci:\(work)/skopeo-\(round):latest"])
                })
            // What `distill push` of a build output does by default: the image, then its SPDX and CycloneDX referrers.
            let attached = try RegistryReference(parsing: "\(registry.host)/bench/sbom-\(round):1")
            withSBOM.append(
                try await timed {
                    let root = try await copy(.oci(path: layout, tag: "latest"), to: .registry(attached))
                    try await SBOMAttachment.attachAfterPush(
                        source: .oci(path: layout, tag: "latest"), target: .registry(attached), root: root, mode: .whenBuilt, log: { _ in })
                })
            try? FileManager.default.removeItem(atPath: work + "/pulled-\(round)")
            try? FileManager.default.removeItem(atPath: work + "/skopeo-\(round)")
        }
        let size = built.images.reduce(Int64(0)) { $0 + $1.compressedSize }
        let what = String(format: "python3 example, amd64 + arm64 (%.1f MiB of layers), local docker-registry", Double(size) / 1_048_576)
        let push = median(distillPush), pull = median(distillPull), peerPush = median(skopeoPush), peerPull = median(skopeoPull)
        let sbom = median(withSBOM)
        return [
            BenchmarkRow(
                name: "push, \(what)", distill: seconds(push), peer: "skopeo copy --all: \(seconds(peerPush))", ratio: ratio(push, peerPush),
                goal: "≤ 1.0× skopeo", met: push <= peerPush),
            BenchmarkRow(
                name: "pull, \(what)", distill: seconds(pull), peer: "skopeo copy --all: \(seconds(peerPull))", ratio: ratio(pull, peerPull),
                goal: "≤ 1.0× skopeo", met: pull <= peerPull),
            BenchmarkRow(
                name: "push with its SBOMs attached (4 referrers), \(what)", distill: seconds(sbom), peer: "skopeo copy --all (no SBOMs): \(seconds(peerPush))",
                ratio: ratio(sbom, peerPush), goal: "–", met: nil),
        ]
    }

    private static func copy(_ from: ImageReference, to: ImageReference) async throws -> Descriptor {
        let source = try from.openSource()
        defer { source.close() }
        return try await ImageCopier().copy(from: source, to: try to.openDestination())
    }

    private static func timed(_ body: () async throws -> Void) async throws -> Double {
        let start = Date()
        try await body()
        return Date().timeIntervalSince(start)
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    private static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
    private static func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.2f×", a / b) }
}
