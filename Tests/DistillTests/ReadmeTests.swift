import Foundation
import TestSupport
import Testing

/// Every `distill` command in README.md, run as written and in its order, in a folder holding the
/// README's build file and test file and the example app, against the frozen Debian mirror.
@Suite(.serialized) struct ReadmeTests {
    static let mirror: LocalHTTPServer = try! LocalHTTPServer(serving: SharedTestData.debianMirror)

    /// The README's fenced blocks: language and lines.
    static func blocks() throws -> [(language: String, lines: [String])] {
        let text = try String(contentsOfFile: SharedTestData.packageRoot.path + "/README.md", encoding: .utf8)
        var blocks: [(language: String, lines: [String])] = []
        var current: (language: String, lines: [String])?
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if let open = current {
                    blocks.append(open)
                    current = nil
                } else {
                    current = (String(line.dropFirst(3)), [])
                }
            } else if current != nil {
                current?.lines.append(line)
            }
        }
        return blocks
    }

    /// Zips a folder's JSON files flat (as OSV's all.zip is laid out); an empty zip for an ecosystem with no records here.
    static let zipScript = """
        import os, sys, zipfile
        with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
            for name in sorted(os.listdir(sys.argv[1])):
                if name.endswith(".json"):
                    z.write(os.path.join(sys.argv[1], name), name)
        """

    @Test func everyCommandInTheReadmeRunsAsWritten() throws {
        let blocks = try Self.blocks()
        let buildFile = try #require(blocks.first { $0.language == "yaml" && $0.lines.first == "# distill.yaml" })
        let testFile = try #require(blocks.first { $0.language == "yaml" && $0.lines.first?.hasPrefix("# tests.yaml") == true })
        // The Registries section names `localhost:5000`: a registry started here stands in for it.
        let registry = try LocalRegistry(.plain)
        defer { registry.stop() }
        let commands = blocks.filter { $0.language == "sh" }.flatMap(\.lines).filter { $0.hasPrefix("distill ") }
            .map { $0.replacingOccurrences(of: "localhost:5000", with: registry.host) }
        #expect(commands.count >= 8, "\(commands)")
        #expect(commands.first?.hasPrefix("distill build") == true)

        let dir = try TemporaryDirectory("readme")
        // The build file as written, pointed at the frozen mirror, which has only the release's main suite.
        try (buildFile.lines.joined(separator: "\n") + "\nmirror: \(Self.mirror.baseURL)\nsuites: [bookworm]\n")
            .write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        try (testFile.lines.joined(separator: "\n") + "\n").write(toFile: dir("tests.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: SharedTestData.packageRoot.path + "/examples/python-app/app", toPath: dir("app"))
        // What the README's scan commands read: an OSV bucket (served here), a zip in ~/osv, a folder of records.
        let osv = SharedTestData.testdata.appendingPathComponent("vuln/osv").path
        for ecosystem in ["Debian", "PyPI", "Go"] {
            try FileManager.default.createDirectory(atPath: dir("bucket/\(ecosystem)"), withIntermediateDirectories: true)
            try Tool.check(["python3", "-c", Self.zipScript, FileManager.default.fileExists(atPath: osv + "/" + ecosystem) ? osv + "/" + ecosystem : dir("bucket"), dir("bucket/\(ecosystem)/all.zip")])
        }
        let bucket = try LocalHTTPServer(serving: dir.url.appendingPathComponent("bucket"))
        try FileManager.default.createDirectory(atPath: dir("home/osv/Debian"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir("bucket/Debian/all.zip"), toPath: dir("home/osv/Debian/all.zip"))
        try FileManager.default.createDirectory(atPath: dir("advisories"), withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: osv + "/PyPI").sorted().prefix(3) {
            try FileManager.default.copyItem(atPath: osv + "/PyPI/" + name, toPath: dir("advisories/" + name))
        }
        let environment = [
            "PATH": URL(fileURLWithPath: DistillCLI.executable).deletingLastPathComponent().path + ":"
                + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "XDG_CACHE_HOME": dir("cache"),
            "HOME": dir("home"),
            "DISTILL_OSV_URL": bucket.baseURL,
        ]
        var outputs: [String: String] = [:]
        for command in commands {
            let result = try Tool.run(["sh", "-c", command], environment: environment, cwd: dir.path)
            // A gate (`--exit-code N`) may close: N is then the documented answer, not a failure.
            let gate = command.firstMatch(of: /--(?:scan-)?exit-code (\d+)/).flatMap { Int32($0.1) }
            let gateClosed = gate != nil && result.status == gate && !result.stderr.contains("error:")
            let allowed: Set<Int32> = gateClosed ? [result.status] : [0]
            #expect(allowed.contains(result.status), "\(command): \(result.stderr)\(result.stdout)")
            outputs[command] = result.stdout
            if !allowed.contains(result.status) { break }
        }
        func output(_ prefix: String) -> String { outputs.first { $0.key.hasPrefix(prefix) }?.value ?? "" }
        #expect(output("distill run oci:build/app -- --self-check").contains("\"uid\": 65532"))
        #expect(output("distill run --entrypoint /usr/bin/python3") == "65532\n")
        #expect(output("distill run --healthcheck").contains("healthy"))
        #expect(output("distill test").contains("3 passed, 0 failed"), "\(output("distill test"))")
        #expect(output("distill why libkrb5-3").contains("(requested)"))
        #expect(FileManager.default.fileExists(atPath: dir("report.xml")))
        #expect(FileManager.default.fileExists(atPath: dir("app.tar")))
        #expect(outputs.first { $0.key.hasPrefix("distill compare") && $0.key.hasSuffix("the verdict") }?.value.contains("verdict: ship app") == true)
        #expect(FileManager.default.fileExists(atPath: dir("compare.html")) && FileManager.default.fileExists(atPath: dir("compare.md")))
        // What the README says of dir:, skopeo confirms.
        let config = try Tool.check(["skopeo", "--insecure-policy", "inspect", "--config", "dir:" + dir("app-dir")])
        #expect(config.contains("65532"))
        // The README's push went to the registry, the second sent no layer, the copy mounted, the pull is the same image.
        #expect(registry.requests("PUT", pathContaining: "/v2/app/manifests/1.0").count == 2)
        #expect(registry.blobUploadRequests("mirror/").isEmpty)
        #expect(KillHarness.layoutDigest(dir("pulled")) == KillHarness.layoutDigest(dir("build/app")))
        #expect(output("distill inspect --insecure-registry").contains("user     65532"))
    }
}
