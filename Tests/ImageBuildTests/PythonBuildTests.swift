import Binary
import ContainerRuntime
import Foundation
import ImageBuild
import ImageFormat
import ImageTransport
import SBOM
import TestSupport
import Testing

/// Builds with `python:` against the frozen mirror and the frozen PyPI slice, both served on 127.0.0.1.
@Suite(.serialized) struct PythonBuildTests {
    /// The PyPI slice's server, started once per test process.
    static let pypi: LocalHTTPServer = try! LocalHTTPServer(serving: SharedTestData.testdata.appendingPathComponent("pypi"))

    /// The flask example, pointed at the frozen mirror and PyPI slice, for `archs`.
    static func flaskExample(archs: [String]) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("flask-app")
        let source = SharedTestData.packageRoot.path + "/examples/flask-app"
        for item in try FileManager.default.contentsOfDirectory(atPath: source) where item != "build" && item != "distill.lock" {
            try FileManager.default.copyItem(atPath: source + "/" + item, toPath: dir(item))
        }
        var yaml = try String(contentsOfFile: dir("distill.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "archs: [amd64, arm64]\n", with: "archs: [\(archs.joined(separator: ", "))]\n")
        yaml = yaml.replacingOccurrences(of: "  requirements: requirements.txt\n", with: "  requirements: requirements.txt\n  index-url: \(pypi.baseURL)/simple/\n")
        try (yaml + "mirror: \(BuildFixture.mirror.baseURL)\nsuites: [bookworm]\n").write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    static func build(_ dir: TemporaryDirectory, log: LogLines? = nil, configure: (inout BuildOptions) -> Void = { _ in }) async throws -> BuildResult {
        var options = BuildOptions(cacheDirectory: BuildFixture.cache.path)
        options.outputDirectory = dir("out")
        if let log { options.log = log.append }
        configure(&options)
        return try await ImageBuilder(build: try BuildFile.load(dir("distill.yaml")), options: options).run()
    }

    /// A python3 image with `packages:` (inline requirements) for amd64.
    static func inline(_ packages: [String], index: String = pypi.baseURL + "/simple/") throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("python-inline")
        let list = packages.map { "\"\($0)\"" }.joined(separator: ", ")
        let yaml = "base: python3\narchs: [amd64]\npython:\n  packages: [\(list)]\n  index-url: \(index)\n" + BuildFixture.header(distro: "debian12")
        try yaml.write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func theFlaskAppBuildsForBothArchitecturesWithEachArchsNativeCode() async throws {
        let dir = try Self.flaskExample(archs: ["amd64", "arm64"])
        let log = LogLines()
        let result = try await Self.build(dir, log: log)
        #expect(result.images.map(\.architecture) == ["amd64", "arm64"])
        #expect(result.images.allSatisfy { $0.layers == 3 }, "OS, wheels, app")
        // The SBOM beside the image lists the wheels, from the wheels' layer (1), as well as the Debian packages.
        let sbom = try #require(result.images[0].sbom)
        let flask = sbom.packages.first { $0.ecosystem == .python && $0.name == "flask" }
        #expect(flask?.version == "3.1.1" && flask?.layer == 1, "\(String(describing: flask))")
        #expect(sbom.packages.contains { $0.ecosystem == .debian && $0.name == "python3.11-minimal" })
        // … byte for byte what `distill sbom` says of the image it wrote.
        let written = try Data(contentsOf: URL(fileURLWithPath: dir("out/flask-app-amd64.cdx.json")))
        let image = try ImageReference.oci(path: dir("out/flask-app"), tag: "latest").openSource()
        let read = try await ImageCatalog.read(image, platform: Platform(debianArchitecture: "amd64"), name: "flask-app")
        #expect(try SBOMFormat.cycloneDXJSON.encode(read) == written, "the build's SBOM is the one `distill sbom` gives")
        #expect(result.images[0].uncompressedSize <= 60_000_000, "goal: the flask app ≤ 60 MB unpacked")
        let lock = try String(contentsOfFile: dir("distill.lock"), encoding: .utf8)
        #expect(lock.contains("\"python\"") && lock.contains("PyYAML-6.0.2-cp311-cp311-manylinux_2_17_aarch64"))
        let source = try ImageReference.oci(path: dir("out/flask-app"), tag: "latest").openSource()
        for (architecture, machine) in [("amd64", UInt16(62)), ("arm64", UInt16(183))] {
            let unpacked = try await RootfsUnpacker.unpack(source, platform: Platform(debianArchitecture: architecture), under: dir.path)
            defer { try? unpacked.remove() }
            let site = unpacked.rootfs + "/usr/lib/python3/dist-packages"
            let objects = TemporaryDirectory.files(below: URL(fileURLWithPath: site)).filter { $0.hasSuffix(".so") }
            #expect(objects.count == 2, "markupsafe's and pyyaml's extensions: \(objects)")
            for object in objects {
                #expect(try ELFFile(path: site + "/" + object).machine == machine, "\(architecture): \(object)")
            }
            let installed = try FileManager.default.contentsOfDirectory(atPath: site)
            #expect(installed.contains("flask-3.1.1.dist-info"))
            #expect(!installed.contains { $0.lowercased().hasPrefix("importlib_metadata") }, "its marker is false on Python 3.11")
            let installer = try String(contentsOfFile: site + "/flask-3.1.1.dist-info/INSTALLER", encoding: .utf8)
            #expect(installer == "distill\n")
            let script = try String(contentsOfFile: unpacked.rootfs + "/usr/bin/flask", encoding: .utf8)
            #expect(script.hasPrefix("#!/usr/bin/python3.11\n"))
            // Python's own importlib.metadata reads what was installed: every RECORD entry exists with its digest.
            let check = """
                import base64, hashlib, importlib.metadata as m, json, sys
                versions, bad, installers, files = {}, [], set(), 0
                for d in m.distributions(path=[sys.argv[1]]):
                    versions[d.metadata["Name"].lower()] = d.version
                    installers.add(d.read_text("INSTALLER"))
                    for f in d.files:
                        files += 1
                        if f.hash and base64.urlsafe_b64encode(hashlib.sha256(f.locate().read_bytes()).digest()).rstrip(b"=").decode() != f.hash.value:
                            bad.append(str(f))
                print(json.dumps({"versions": versions, "bad": bad, "installers": sorted(installers), "files": files}, sort_keys=True))
                """
            let report = try Tool.check(["python3", "-c", check, site])
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
            let versions = parsed["versions"] as? [String: String] ?? [:]
            #expect(versions["flask"] == "3.1.1" && versions["pyyaml"] == "6.0.2" && versions.count == 8, "\(report)")
            #expect((parsed["bad"] as? [String])?.isEmpty == true, "every file matches its RECORD digest: \(report)")
            #expect(parsed["installers"] as? [String] == ["distill\n"])
            #expect((parsed["files"] as? Int ?? 0) > 100)
        }
        // A second build from the lock alone, with no network, gives the same image.
        let offline = try await Self.build(dir) { $0.offline = true }
        #expect(offline.root.digest == result.root.digest)
        #expect(offline.images.allSatisfy { $0.reusedLayers == 2 }, "OS and wheel layers from the layer cache")
        // From an empty cache, every layer packed again: the same amd64 image, byte for byte.
        let fresh = try TemporaryDirectory("flask-fresh-cache")
        let again = try await Self.build(dir) {
            $0.cacheDirectory = fresh.path
            $0.archs = ["amd64"]
        }
        #expect(again.root.digest == result.images[0].manifest.digest)
        #expect(again.images[0].reusedLayers == 0)
    }

    @Test func theAmd64ImageAnswersHTTP200() async throws {
        let dir = try Self.flaskExample(archs: ["amd64"])
        _ = try await Self.build(dir)
        let source = try ImageReference.oci(path: dir("out/flask-app"), tag: "latest").openSource()
        let unpacked = try await RootfsUnpacker.unpack(source, platform: Platform(debianArchitecture: "amd64"), under: dir.path)
        defer { try? unpacked.remove() }
        let port = try Tool.check(["python3", "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let runner = try ContainerRunner()
        let config = unpacked.image.configuration
        let container = Task {
            try await runner.run(
                rootfs: unpacked.rootfs, image: config, options: RunOptions(env: ["PORT=\(port)"], network: .host, timeout: .seconds(120)))
        }
        let probe = """
            import sys, time, urllib.request
            for _ in range(300):
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=2) as r:
                        print(r.status); print(r.read().decode()); sys.exit(0)
                except Exception:
                    time.sleep(0.2)
            sys.exit(1)
            """
        let answer = try Tool.run(["python3", "-c", probe, port])
        container.cancel()
        let finished = try? await container.value
        #expect(answer.status == 0, "no answer; container output: \(finished?.stderrText ?? "")")
        #expect(answer.stdout.hasPrefix("200\n"))
        #expect(answer.stdout.contains("libyaml: true"), "PyYAML's C extension loads: \(answer.stdout)")
        #expect(answer.stdout.contains("uid: 65532"))
        #expect(answer.stdout.contains("machine: x86_64"))
    }

    @Test func anUpperBoundPicksClick818() async throws {
        let dir = try Self.inline(["click<8.2"])
        let result = try await Self.build(dir)
        #expect(try String(contentsOfFile: dir("distill.lock"), encoding: .utf8).contains("click-8.1.8-py3-none-any.whl"))
        #expect(result.images[0].layers == 2)
    }

    @Test func aProjectWithoutAWheelFailsNamingIt() async throws {
        let dir = try Self.inline(["docopt"])
        await #expect {
            _ = try await Self.build(dir)
        } throws: { error in
            let text = "\(error)"
            return text.contains("docopt") && text.contains("no wheel") && text.contains("amd64")
        }
        #expect(!FileManager.default.fileExists(atPath: dir("distill.lock")), "nothing is locked")
    }

    @Test func aFlippedByteInAWheelFailsNamingItAndNothingIsCached() async throws {
        let copy = try TemporaryDirectory("pypi-tampered")
        try Tool.check(["cp", "-r", SharedTestData.path("pypi/."), copy.path])
        try Tool.check(["chmod", "-R", "u+w", copy.path])
        let name = "bottle-0.13.2-py2.py3-none-any.whl"
        var bytes = try Data(contentsOf: copy.path("files/" + name))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: copy.path("files/" + name))
        let server = try LocalHTTPServer(serving: copy.url)
        let dir = try Self.inline(["bottle"], index: server.baseURL + "/simple/")
        await #expect {
            _ = try await Self.build(dir)
        } throws: { error in "\(error)".contains(name) && "\(error)".contains("sha256") }
        let blobs = BuildFixture.cache.path + "/blobs/sha256/"
        #expect(!FileManager.default.fileExists(atPath: blobs + Digest.sha256(of: bytes).encoded), "the tampered file is not cached")
        let page = try String(contentsOf: copy.path("simple/bottle/index.html"), encoding: .utf8)
        let indexDigest = try #require(page.firstMatch(of: #/sha256=([0-9a-f]{64})"/#)).1
        #expect(!FileManager.default.fileExists(atPath: blobs + indexDigest), "nothing stands under the promised digest")
        // No half-kept copy either (other suites' downloads may be in flight in the shared cache: compare contents).
        let temporary = BuildFixture.cache.path + "/tmp/"
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: temporary).filter { name in
            (try? Data(contentsOf: URL(fileURLWithPath: temporary + name))) == bytes
        }
        #expect(leftovers.isEmpty)
    }

    @Test func pipIndexURLWinsOverTheBuildFile() async throws {
        let dir = try Self.inline(["click<8.2"], index: "http://127.0.0.1:9/simple/")
        let result = try await Self.build(dir) { $0.pythonIndexURL = Self.pypi.baseURL + "/simple/" }
        #expect(result.images[0].layers == 2)
    }
}
