import ContainerRuntime
import Foundation
import ImageBuild
import ImageTransport
import TestSupport
import Testing

/// The examples in examples/, built from the frozen mirror: reproducible, and the Python app runs as it should.
@Suite(.serialized) struct ExampleTests {
    /// Copies an example, points it at the frozen mirror, and compiles its program if it has one.
    static func prepare(_ name: String) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("example-\(name)")
        let source = SharedTestData.packageRoot.path + "/examples/" + name
        for item in try FileManager.default.contentsOfDirectory(atPath: source) where item != "build" && item != "distill.lock" {
            try FileManager.default.copyItem(atPath: source + "/" + item, toPath: dir(item))
        }
        if FileManager.default.fileExists(atPath: dir("Makefile")) { try Tool.check(["make", "-s", "-C", dir.path]) }
        let yaml = try String(contentsOfFile: dir("distill.yaml"), encoding: .utf8)
        try (yaml + "archs: [amd64]\n" + "mirror: \(BuildFixture.mirror.baseURL)\nsuites: [bookworm]\n")
            .write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test(arguments: ["static-c", "cc", "python-app"])
    func exampleBuildsTwiceToTheSameDigest(_ name: String) async throws {
        let dir = try Self.prepare(name)
        let first = try await BuildFixture.build(try String(contentsOfFile: dir("distill.yaml"), encoding: .utf8), in: dir)
        try FileManager.default.removeItem(atPath: dir("distill.lock"))
        let freshCache = try TemporaryDirectory("example-cache")
        let second = try await BuildFixture.build(
            try String(contentsOfFile: dir("distill.yaml"), encoding: .utf8), in: dir, cache: freshCache.path)
        #expect(first.result.root.digest == second.result.root.digest, "\(name)")
        #expect(second.result.images[0].reusedLayers == 0)
    }

    @Test func pythonExampleRunsAsNonrootWithNoShell() async throws {
        let dir = try Self.prepare("python-app")
        let (_, result) = try await BuildFixture.build(try String(contentsOfFile: dir("distill.yaml"), encoding: .utf8), in: dir)
        #expect(result.images[0].uncompressedSize <= 60_000_000, "python app goal: ≤ 60 MB unpacked")
        let source = try ImageReference.oci(path: dir("out/python-app"), tag: "latest").openSource()
        let unpacked = try await RootfsUnpacker.unpack(source, under: dir.path)
        defer { try? unpacked.remove() }
        let runner = try ContainerRunner()
        let config = unpacked.image.configuration
        let check = try await runner.run(rootfs: unpacked.rootfs, image: config, options: RunOptions(args: ["--self-check"]))
        #expect(check.exitCode == 0, "\(check.stderrText)")
        #expect(check.stdoutText.contains("\"uid\": 65532"), "\(check.stdoutText)")
        let shell = try await runner.run(
            rootfs: unpacked.rootfs, image: config,
            options: RunOptions(entrypoint: ["/usr/bin/python3"], args: ["-c", "import subprocess; subprocess.check_call('id', shell=True)"]))
        #expect(shell.exitCode != 0)
        #expect(shell.stderrText.contains("No such file or directory: '/bin/sh'"), "\(shell.stderrText)")
    }
}
