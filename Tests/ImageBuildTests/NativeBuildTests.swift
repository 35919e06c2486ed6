import ContainerRuntime
import Foundation
import ImageBuild
import ImageFormat
import ImageTransport
import TestSupport
import Testing

/// Native files in the app: their libraries found through the suite's Contents index, their machine checked,
/// per-architecture sources, excludes, and an entrypoint that must exist and be executable.
@Suite(.serialized) struct NativeBuildTests {
    static let zlibProgram = """
        #include <stdio.h>
        #include <zlib.h>
        int main(void) { printf("zlib %s\\n", zlibVersion()); return 0; }
        """

    /// Compiles `source` into `dir/name` with `arguments`.
    static func compile(_ source: String, _ arguments: [String], in dir: TemporaryDirectory, name: String) throws {
        try source.write(toFile: dir("\(name).c"), atomically: true, encoding: .utf8)
        try Tool.check(["cc", "-O1", "-o", dir(name), dir("\(name).c")] + arguments)
        try FileManager.default.removeItem(atPath: dir("\(name).c"))
    }

    static func header(_ archs: String = "[amd64]") -> String { "archs: \(archs)\n" + BuildFixture.header(distro: "debian12") }

    @Test func aProgramLinkedWithZlibGetsZlib1gFromContentsAndRuns() async throws {
        let dir = try TemporaryDirectory("native-zlib")
        try Self.compile(Self.zlibProgram, ["-lz"], in: dir, name: "hello")
        let yaml = "base: base\napp:\n  - {source: hello, target: /app/hello}\nentrypoint: [/app/hello]\n" + Self.header()
        let log = LogLines()
        let (_, result) = try await BuildFixture.build(yaml, in: dir) { $0.log = log.append }
        #expect(result.images[0].packages.contains { $0.hasPrefix("zlib1g=") })
        #expect(log.lines.contains { $0.contains("added zlib1g for libz.so.1 (needed by /app/hello)") }, "\(log.lines)")
        let lock = try String(contentsOfFile: dir("distill.lock"), encoding: .utf8)
        try FileManager.default.copyItem(atPath: dir("distill.lock"), toPath: dir("distill.lock.kept"))
        #expect(lock.contains("\"native\"") && lock.contains("\"library\" : \"libz.so.1\""))
        // The lock now holds zlib1g: the next build uses it without looking anything up, and gives the same image.
        let again = LogLines()
        let (_, second) = try await BuildFixture.build(yaml, in: dir) { $0.log = again.append }
        #expect(second.root.digest == result.root.digest)
        #expect(!again.lines.contains { $0.contains("added") })
        // `why` explains the locked set, where zlib1g is because of the program; a fresh resolution has no zlib1g.
        let builder = try ImageBuilder(build: try BuildFile.load(dir("distill.yaml")), options: BuildOptions(cacheDirectory: BuildFixture.cache.path))
        let why = try await builder.explain("zlib1g", architecture: "amd64")
        #expect(why.contains("zlib1g was added for libz.so.1, needed by /app/hello"), "\(why)")
        #expect(why.hasSuffix("(the locked set in distill.lock)"), "\(why)")
        #expect(!why.contains("not in the image"), "\(why)")
        try FileManager.default.removeItem(atPath: dir("distill.lock"))
        let fresh = try await builder.explain("zlib1g", architecture: "amd64")
        #expect(fresh.contains("not in the image") && fresh.contains("a fresh resolution"), "\(fresh)")
        try FileManager.default.copyItem(atPath: dir("distill.lock.kept"), toPath: dir("distill.lock"))

        let source = try ImageReference.oci(path: dir("out/\(dir.url.lastPathComponent)"), tag: "latest").openSource()
        let unpacked = try await RootfsUnpacker.unpack(source, under: dir.path)
        defer { try? unpacked.remove() }
        let run = try await ContainerRunner().run(rootfs: unpacked.rootfs, image: unpacked.image.configuration, options: RunOptions())
        #expect(run.exitCode == 0, "\(run.stderrText)")
        #expect(run.stdoutText.hasPrefix("zlib 1.2.13"), "\(run.stdoutText)")
    }

    @Test func aLibraryNoPackageShipsIsAnErrorNamingTheFile() async throws {
        let dir = try TemporaryDirectory("native-orphan")
        try Self.compile("int distill_orphan(void) { return 7; }", ["-shared", "-fPIC", "-Wl,-soname,libdistillorphan.so.3"], in: dir, name: "libdistillorphan.so")
        try Self.compile("int distill_orphan(void);\nint main(void) { return distill_orphan(); }", ["-L" + dir.path, "-ldistillorphan"], in: dir, name: "orphan")
        try FileManager.default.removeItem(atPath: dir("libdistillorphan.so"))
        let yaml = "base: base\napp:\n  - {source: orphan, target: /app/orphan}\nentrypoint: [/app/orphan]\n" + Self.header()
        await #expect {
            _ = try await BuildFixture.build(yaml, in: dir)
        } throws: { error in
            let text = "\(error)"
            return text.contains("/app/orphan needs libdistillorphan.so.3") && text.contains("no package of bookworm ships")
        }
    }

    @Test func anELFFileForAnotherArchitectureIsAnErrorNamingIt() async throws {
        let dir = try TemporaryDirectory("native-arch")
        try Self.compile("int main(void) { return 0; }", [], in: dir, name: "server")
        let yaml = "base: base\napp:\n  - {source: server, target: /app/server}\nentrypoint: [/app/server]\n" + Self.header("[arm64]")
        await #expect {
            _ = try await BuildFixture.build(yaml, in: dir)
        } throws: { error in
            "\(error)".contains("/app/server is a 64-bit ELF file for x86-64 (amd64), not for arm64")
        }
    }

    @Test func perArchitectureSourcesAndExcludes() async throws {
        let dir = try TemporaryDirectory("native-per-arch")
        // Each architecture's native library, from the PyYAML wheels (they need only libc).
        for (arch, machine) in [("amd64", "x86_64"), ("arm64", "aarch64")] {
            try FileManager.default.createDirectory(atPath: dir("dist/\(arch)/.git"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dir("dist/\(arch)/__pycache__"), withIntermediateDirectories: true)
            try "x".write(toFile: dir("dist/\(arch)/.git/HEAD"), atomically: true, encoding: .utf8)
            try "x".write(toFile: dir("dist/\(arch)/__pycache__/m.pyc"), atomically: true, encoding: .utf8)
            try "notes".write(toFile: dir("dist/\(arch)/NOTES.md"), atomically: true, encoding: .utf8)
            try "kept".write(toFile: dir("dist/\(arch)/kept.txt"), atomically: true, encoding: .utf8)
            let wheel = SharedTestData.path("pypi/files/PyYAML-6.0.2-cp311-cp311-manylinux_2_17_\(machine).manylinux2014_\(machine).whl")
            try Tool.check([
                "python3", "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[2], 'wb').write(z.read([n for n in z.namelist() if n.endswith('.so')][0]))",
                wheel, dir("dist/\(arch)/native.so"),
            ])
        }
        let yaml = "base: base\napp:\n  - {source: \"dist/{arch}\", target: /app, exclude: [\"*.md\"]}\n" + Self.header("[amd64, arm64]")
        let (_, result) = try await BuildFixture.build(yaml, in: dir)
        #expect(result.images.count == 2)
        let source = try ImageReference.oci(path: dir("out/\(dir.url.lastPathComponent)"), tag: "latest").openSource()
        for arch in ["amd64", "arm64"] {
            let unpacked = try await RootfsUnpacker.unpack(source, platform: Platform(debianArchitecture: arch), under: dir.path)
            defer { try? unpacked.remove() }
            #expect(try FileManager.default.contentsOfDirectory(atPath: unpacked.rootfs + "/app").sorted() == ["kept.txt", "native.so"])
        }
        // The other way round, each image would get the other machine's library.
        try FileManager.default.moveItem(atPath: dir("dist/amd64"), toPath: dir("dist/tmp"))
        try FileManager.default.moveItem(atPath: dir("dist/arm64"), toPath: dir("dist/amd64"))
        try FileManager.default.moveItem(atPath: dir("dist/tmp"), toPath: dir("dist/arm64"))
        await #expect {
            _ = try await BuildFixture.build(yaml, in: dir)
        } throws: { "\($0)".contains("/app/native.so is a 64-bit ELF file for AArch64 (arm64), not for amd64") }
    }

    @Test(arguments: [
        ("entrypoint: [/app/missing]", "the entrypoint /app/missing does not exist in the amd64 image"),
        ("entrypoint: [/app/run.sh]", "the entrypoint /app/run.sh is not executable in the amd64 image"),
        ("entrypoint: [/app/tool]", "the #! interpreter of /app/tool (entrypoint) /usr/bin/env does not exist in the amd64 image"),
        ("cmd: [nothere]", "the cmd nothere does not exist in the amd64 image (searched PATH"),
        ("entrypoint: [/app]", "the entrypoint /app is a folder"),
        ("cmd: [hello]", nil),
    ] as [(String, String?)])
    func theEntrypointMustExistAndBeExecutable(_ line: String, _ message: String?) async throws {
        let dir = try TemporaryDirectory("entrypoint")
        try FileManager.default.createDirectory(atPath: dir("app"), withIntermediateDirectories: true)
        try "echo hi\n".write(toFile: dir("app/run.sh"), atomically: true, encoding: .utf8)
        try "#!/usr/bin/env python3\nprint(1)\n".write(toFile: dir("app/tool"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir("app/tool"))
        try Self.compile("int main(void) { return 0; }", ["-static"], in: dir, name: "hello")
        // Every case has the same packages: the lock of the first serves the others (no index is read again).
        let template = BuildFixture.cache.path + "/entrypoint-tests.lock"
        if FileManager.default.fileExists(atPath: template) { try FileManager.default.copyItem(atPath: template, toPath: dir("distill.lock")) }
        defer {
            if !FileManager.default.fileExists(atPath: template) { try? FileManager.default.copyItem(atPath: dir("distill.lock"), toPath: template) }
        }
        let yaml = "base: static\napp:\n  - {source: app, target: /app}\n  - {source: hello, target: /usr/local/bin/hello}\n\(line)\n" + Self.header()
        guard let message else {
            let (_, result) = try await BuildFixture.build(yaml, in: dir)
            #expect(result.images.count == 1, "found through PATH")
            return
        }
        await #expect {
            _ = try await BuildFixture.build(yaml, in: dir)
        } throws: { "\($0)".contains(message) }
    }
}
