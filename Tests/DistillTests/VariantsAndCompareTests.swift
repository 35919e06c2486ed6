import Archive
import Foundation
import ImageTransport
import SBOM
import TestSupport
import Testing

/// One `distill build` of a file with three variants (debian12 with Python 3.11, debian13 with Python 3.13, and a
/// debug one), then `distill compare` of what it wrote, every figure checked against `inspect` and `scan`.
@Suite(.serialized) struct VariantsAndCompareTests {
    static let buildFile = VariantsFixture.buildFile

    /// The built folder, kept for the whole suite.
    final class Built: Sendable {
        let directory: TemporaryDirectory
        let stdout: String
        let environment: [String: String]
        init(directory: TemporaryDirectory, stdout: String, environment: [String: String]) {
            self.directory = directory
            self.stdout = stdout
            self.environment = environment
        }
    }

    /// The frozen mirror plus busybox-static (not in the slice), served once; the variants built once.
    static let built: Result<Built, any Error> = Result {
        let mirrorFolder = try TemporaryDirectory("variants-mirror")
        let server = try LocalHTTPServer(serving: try SharedTestData.debianMirrorWithExtras(in: mirrorFolder))
        let dir = try TemporaryDirectory("variants")
        try (buildFile + "mirror: \(server.baseURL)\n").write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        // The layers other suites built from the same packages are reused (the cache is keyed by content).
        try FileManager.default.createDirectory(atPath: dir("xdg"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir("xdg/distill"), withDestinationPath: SharedBuildCache.directory.path)
        let environment = ["XDG_CACHE_HOME": dir("xdg")]
        let stdout = try DistillCLI.check(["build"], in: dir.path, environment: environment)
        server.stop()
        _ = mirrorFolder
        return Built(directory: dir, stdout: stdout, environment: environment)
    }

    @Test func oneBuildMakesEveryVariantAndPrintsTheTable() throws {
        let built = try Self.built.get()
        let dir = built.directory
        let table = built.stdout
        for name in ["py311", "py313", "debug"] {
            #expect(FileManager.default.fileExists(atPath: dir("build/app-\(name)/index.json")), "build/app-\(name)")
            #expect(FileManager.default.fileExists(atPath: dir("build/app-\(name).tar")))
            #expect(FileManager.default.fileExists(atPath: dir("build/app-\(name).build.json")))
            #expect(FileManager.default.fileExists(atPath: dir("distill.\(name).lock")), "each variant has its own lock")
            #expect(table.contains("variant  \(name)"))
        }
        let header = try #require(table.split(separator: "\n").first { $0.hasPrefix("IMAGE") })
        #expect(header.contains("COMPRESSED") && header.contains("RUNTIME") && header.contains("CHECK") && header.contains("BUILD"))
        let rows = table.split(separator: "\n").filter { line in ["py311 ", "py313 ", "debug "].contains { line.hasPrefix($0) } }
        #expect(rows.count == 3, "\(table)")
        #expect(rows.first { $0.hasPrefix("py311") }?.contains("Python 3.11.2") == true)
        #expect(rows.first { $0.hasPrefix("py313") }?.contains("Python 3.13.5") == true)
        #expect(rows.first { $0.hasPrefix("debug") }?.contains("DEBUG, not for production") == true)
        #expect(table.contains("no database: run distill db update"))
        // Without a database the smaller of the two production images wins; the debug one never does.
        #expect(table.contains("verdict: ship py311: the smallest unpacked") || table.contains("verdict: ship py313: the smallest unpacked"), "\(table)")
        #expect(table.contains("left out as not for production: debug"))
    }

    @Test func theDebugImageHasAShellAndTheOthersNone() async throws {
        let built = try Self.built.get()
        let dir = built.directory
        for name in ["py311", "py313", "debug"] {
            // The image's final tree, read from its layers as check and sbom read it (nothing unpacked to disk).
            let files = try await ImageReader.read(try ImageReference.oci(path: dir("build/app-\(name)"), tag: "latest").openSource(), observers: [])
            let shells = ["bin/sh", "usr/bin/sh", "bin/bash", "usr/bin/bash", "bin/dash", "usr/bin/dash", "bin/busybox", "usr/bin/busybox",
                          "busybox/sh", "busybox/busybox"]
            let present = shells.filter { files.tree.resolve($0) != nil }
            if name == "debug" {
                #expect(present == ["busybox/sh", "busybox/busybox"], "\(present)")
                #expect(files.tree.entry(at: "busybox/sh")?.kind == .symlink(target: "busybox"))
                #expect(files.tree.resolve("busybox/sh")?.path == "busybox/busybox")
                #expect((files.tree.entry(at: "busybox/busybox")?.permissions ?? 0) & 0o111 == 0o111)
                #expect(files.image.configuration.config?.env?.first == "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox")
            } else {
                #expect(present.isEmpty, "\(name): \(present)")
                #expect(files.tree.entry(at: "busybox") == nil)
            }
        }
        // The shell works, as the image's user, in the same confinement as any distill run.
        let run = try DistillCLI.run(
            ["run", "--entrypoint", "/busybox/sh", "oci:build/app-debug", "--", "-c", "echo $((6 * 7)) $(id -u)"], in: dir.path,
            environment: built.environment)
        #expect(run.status == 0 && run.stdout == "42 65532\n", "\(run.stderr)\(run.stdout)")
        let check = try DistillCLI.run(["check", "oci:build/app-debug", "--exit-code", "3"], in: dir.path)
        #expect(check.status == 3 && check.stdout.contains("DI015") && check.stdout.contains("not for production"), "\(check.stdout)")
        #expect(try DistillCLI.run(["check", "oci:build/app-py311", "--exit-code", "3"], in: dir.path).status == 0)
    }

    @Test func compareSaysWhatInspectAndScanSay() throws {
        let built = try Self.built.get()
        let dir = built.directory
        try DistillCLI.check(["db", "import", SharedTestData.path("vuln/osv"), "--db", dir("vuln.db")], in: dir.path)
        let images = ["oci:build/app-py311", "oci:build/app-py313", "docker-archive:build/app-debug.tar"]
        let printed = try DistillCLI.check(
            ["compare"] + images
                + ["--names", "py311,py313,debug", "--db", dir("vuln.db"), "--format", "json", "--output", dir("compare.json"), "--html", dir("compare.html")],
            in: dir.path)
        #expect(printed.isEmpty, "the report went to --output")
        let report = try Self.object(Data(contentsOf: URL(fileURLWithPath: dir("compare.json"))))
        let rows = try #require(report["images"] as? [[String: Any]])
        #expect(rows.compactMap { $0["name"] as? String } == ["py311", "py313", "debug"])
        for (row, reference) in zip(rows, images) {
            let inspect = try Self.object(Data(try DistillCLI.check(["inspect", reference, "--json"], in: dir.path).utf8))
            let layers = try #require(inspect["layers"] as? [[String: Any]])
            #expect(row["digest"] as? String == inspect["digest"] as? String)
            #expect((row["compressedSize"] as? NSNumber)?.int64Value == (inspect["compressedSize"] as? NSNumber)?.int64Value)
            #expect((row["unpackedSize"] as? NSNumber)?.int64Value == layers.compactMap { ($0["uncompressedSize"] as? NSNumber)?.int64Value }.reduce(0, +))
            #expect((row["fileBytes"] as? NSNumber)?.int64Value == (inspect["fileSystemSize"] as? NSNumber)?.int64Value)
            #expect(row["layers"] as? Int == layers.count)
            let scan = try Self.object(Data(try DistillCLI.check(["scan", reference, "--db", dir("vuln.db"), "--format", "json"], in: dir.path).utf8))
            let findings = (scan["Results"] as? [[String: Any]] ?? []).flatMap { $0["Vulnerabilities"] as? [[String: Any]] ?? [] }
            let counts = try #require(row["vulnerabilities"] as? [String: Int])
            #expect(counts["total"] == findings.count)
            for severity in ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"] {
                #expect(counts[severity.lowercased()] == findings.filter { $0["Severity"] as? String == severity }.count, "\(reference) \(severity)")
            }
            let build = try #require(row["build"] as? [String: Any], "the build record beside \(reference)")
            let record = try Self.object(Data(contentsOf: URL(fileURLWithPath: dir("build/app-\(row["name"] as? String ?? "").build.json"))))
            #expect((build["seconds"] as? NSNumber)?.doubleValue == (record["seconds"] as? NSNumber)?.doubleValue)
        }
        let hardening = try #require(rows.last?["hardening"] as? [String: Any])
        #expect(hardening["notForProduction"] as? Bool == true)
        #expect((report["verdict"] as? [String: Any])?["notForProduction"] as? [String] == ["debug"])
        let html = try String(contentsOfFile: dir("compare.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && html.hasSuffix("</html>\n"))
        #expect(html.contains("Vulnerabilities by severity") && html.contains("<span class=\"badge debug\">debug</span>"))
        let names = try DistillCLI.run(["compare"] + images + ["--names", "a,b"], in: dir.path)
        #expect(names.status != 0 && names.stderr.hasPrefix("error: --names gives 2 names for 3 images"), "\(names.stderr)")
    }

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
