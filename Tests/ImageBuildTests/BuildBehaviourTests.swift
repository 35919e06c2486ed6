import Archive
import Debian
import Foundation
import ImageBuild
import ImageFormat
import ImageTransport
import TestSupport
import Testing

@Suite(.serialized) struct BuildBehaviourTests {
    @Test func multiArchBuildGivesAnIndexWithEachArchsOwnPackages() async throws {
        let yaml = "base: base-nossl\narchs: [amd64, arm64]\n" + BuildFixture.header(distro: "debian12")
        let log = LogLines()
        let (dir, result) = try await BuildFixture.build(yaml) { $0.log = log.append }
        #expect(result.root.mediaType == MediaType.ociIndex)
        // The docker-archive keeps one platform, and the build says which.
        #expect(
            log.lines.contains { $0.contains(".tar") && $0.contains("kept linux/amd64") && $0.contains("left out linux/arm64/v8") },
            "\(log.lines)")
        #expect(result.images.map(\.architecture) == ["amd64", "arm64"])
        let lock = try LockFile.read(from: URL(fileURLWithPath: dir("distill.lock")))
        let amd = lock.packages["amd64"]!.first { $0.name == "libc6" }!
        let arm = lock.packages["arm64"]!.first { $0.name == "libc6" }!
        #expect(amd.sha256 != arm.sha256)
        #expect(arm.filename.hasSuffix("_arm64.deb"))
        let name = dir.url.lastPathComponent
        let images = try await ImageReference.oci(path: dir("out/\(name)"), tag: "latest").openSource().images()
        #expect(images.map(\.platform.description) == ["linux/amd64", "linux/arm64/v8"])
        // The docker-archive holds one platform: the host's.
        let docker = try await ImageReference.dockerArchive(path: dir("out/\(name).tar"), tag: nil).openSource().images()
        #expect(docker.map(\.platform.architecture) == [BuildFile.hostArchitecture])
    }

    @Test func anAppOnlyChangeRebuildsOnlyTheAppLayer() async throws {
        let dir = try TemporaryDirectory("app-change")
        let yaml = "base: static\narchs: [amd64]\napp:\n  - {source: hello.txt, target: /app/hello.txt}\n" + BuildFixture.header(distro: "debian12")
        let image = ImageReference.oci(path: dir("out/\(dir.url.lastPathComponent)"), tag: "latest")
        let first = try await BuildFixture.build(yaml, files: ["hello.txt": "one\n"], in: dir)
        let before = try await image.openSource().images()[0].manifest.layers
        let second = try await BuildFixture.build(yaml, files: ["hello.txt": "two\n"], in: dir)
        let after = try await image.openSource().images()[0].manifest.layers
        #expect(second.result.images[0].reusedLayers == 1, "the OS layer comes from the layer cache")
        #expect(after[0] == before[0], "same OS layer")
        #expect(after[1] != before[1], "a new app layer")
        let third = try await BuildFixture.build(yaml, files: ["hello.txt": "one\n"], in: dir)
        #expect(third.result.root.digest == first.result.root.digest, "going back gives the first image again")
    }

    @Test func aLockThatNoLongerFitsTheBuildFileIsAnErrorUntilUpdated() async throws {
        let dir = try TemporaryDirectory("lock")
        let header = BuildFixture.header(distro: "debian12")
        _ = try await BuildFixture.build("base: static\narchs: [amd64]\n" + header, in: dir)
        await #expect {
            _ = try await BuildFixture.build("base: static\narchs: [amd64]\npackages: [libc6]\n" + header, in: dir)
        } throws: { error in
            "\(error)".contains("distill.lock") && "\(error)".contains("--update-lock")
        }
        let updated = try await BuildFixture.build("base: static\narchs: [amd64]\npackages: [libc6]\n" + header, in: dir) {
            $0.updateLock = true
        }
        #expect(updated.result.images[0].packages.contains { $0.hasPrefix("libc6=") })
    }

    @Test func offlineBuildsUseOnlyTheCache() async throws {
        let cache = try TemporaryDirectory("offline-cache")
        let yaml = "base: static\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12")
        await #expect {
            _ = try await BuildFixture.build(yaml, cache: cache.path) { $0.offline = true }
        } throws: { "\($0)".contains("offline") || "\($0)".contains("cache") }
        let dir = try TemporaryDirectory("offline")
        let online = try await BuildFixture.build(yaml, in: dir, cache: cache.path)
        let offline = try await BuildFixture.build(yaml, in: dir, cache: cache.path) { $0.offline = true }
        #expect(online.result.root.digest == offline.result.root.digest)
    }

    @Test func runningAsRootMustBeAskedForAndIsWarnedAbout() async throws {
        let (_, result) = try await BuildFixture.build("base: static\narchs: [amd64]\nuser: root\n" + BuildFixture.header(distro: "debian12"))
        #expect(result.warnings.contains { $0.contains("runs as root") })
    }

    @Test func whyExplainsTheChainThatPullsAPackageIn() async throws {
        let dir = try TemporaryDirectory("why")
        let yaml = "base: base-nossl\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12")
        try yaml.write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        let builder = try ImageBuilder(build: try BuildFile.load(dir("distill.yaml")), options: BuildOptions(cacheDirectory: BuildFixture.cache.path))
        let text = try await builder.explain("gcc-12-base", architecture: "amd64")
        #expect(text.contains("libc6"), "\(text)")
        #expect(text.contains("libgcc-s1"), "\(text)")
        #expect(try await builder.explain("bash", architecture: "amd64").contains("not in the image"))
    }

    /// `--arch` outside the build file's archs: one clear error before anything is locked, whose advice works.
    @Test func anArchitectureTheBuildFileDoesNotBuildIsOneClearError() async throws {
        let dir = try TemporaryDirectory("arch")
        let header = BuildFixture.header(distro: "debian12")
        let other = BuildFile.hostArchitecture == "amd64" ? "arm64" : "amd64"
        await #expect {
            _ = try await BuildFixture.build("base: static\n" + header, in: dir) { $0.archs = [other] }
        } throws: { error in
            "\(error)".contains("--arch \(other): ") && "\(error)".contains("has no archs:")
                && "\(error)".contains("add `archs: [\(BuildFile.hostArchitecture), \(other)]`")
        }
        #expect(!FileManager.default.fileExists(atPath: dir("distill.lock")))
        _ = try await BuildFixture.build("base: static\n" + header, in: dir)
        await #expect {
            _ = try await BuildFixture.build("base: static\n" + header, in: dir) { $0.archs = [other] }
        } throws: { "\($0)".contains("add `archs:") && !"\($0)".contains("--update-lock") }
        // The advice, followed: the lock no longer fits, and --update-lock (as that error says) builds it.
        let yaml = "base: static\narchs: [\(BuildFile.hostArchitecture), \(other)]\n" + header
        let (_, result) = try await BuildFixture.build(yaml, in: dir) {
            $0.archs = [other]
            $0.updateLock = true
        }
        #expect(result.images.map(\.architecture) == [other])
    }

    /// Two build files in one folder keep their own locks.
    @Test func twoBuildFilesInOneFolderDoNotShareALock() async throws {
        let dir = try TemporaryDirectory("two-files")
        let header = BuildFixture.header(distro: "debian12")
        try ("base: static\narchs: [amd64]\n" + header).write(toFile: dir("small.yaml"), atomically: true, encoding: .utf8)
        try ("base: base-nossl\narchs: [amd64]\n" + header).write(toFile: dir("cc3.yaml"), atomically: true, encoding: .utf8)
        var options = BuildOptions(cacheDirectory: BuildFixture.cache.path)
        options.outputDirectory = dir("out")
        // The first file built again after the second: its lock still fits it.
        for file in ["small.yaml", "cc3.yaml", "small.yaml"] {
            _ = try await ImageBuilder(build: try BuildFile.load(dir(file)), options: options).run()
        }
        #expect(FileManager.default.fileExists(atPath: dir("small.lock")))
        #expect(FileManager.default.fileExists(atPath: dir("cc3.lock")))
        #expect(!FileManager.default.fileExists(atPath: dir("distill.lock")))
    }

    /// A docker-archive output named without a tag holds `<name>:latest`, which podman loads by that name.
    @Test func anUntaggedDockerArchiveOutputIsNamedLatest() async throws {
        let dir = try TemporaryDirectory("tagless")
        let yaml = "name: tagless\nbase: static\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12")
        _ = try await BuildFixture.build(yaml, in: dir) { $0.outputs = [.dockerArchive(path: dir("f.tar"), tag: nil)] }
        let manifest = try Tool.check(["tar", "-xOf", dir("f.tar"), "manifest.json"])
        #expect(manifest.contains("\"RepoTags\":[\"tagless:latest\"]"), "\(manifest)")
    }

    @Test func aNegativeSourceDateEpochIsRefused() async throws {
        await #expect {
            _ = try await BuildFixture.build("base: static\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12")) {
                $0.sourceDateEpoch = -1
            }
        } throws: { "\($0)".contains("--source-date-epoch -1") }
    }

    /// `why`: an unknown name is an error (with a hint when only its case is wrong), and so is an arch not built.
    @Test func whyRefusesUnknownPackagesAndArchitecturesNotBuilt() async throws {
        let dir = try TemporaryDirectory("why-errors")
        try ("base: base-nossl\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12"))
            .write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        let builder = try ImageBuilder(build: try BuildFile.load(dir("distill.yaml")), options: BuildOptions(cacheDirectory: BuildFixture.cache.path))
        await #expect { try await builder.explain("nosuchpkg", architecture: "amd64") } throws: {
            "\($0)".contains("no package 'nosuchpkg' for amd64 in bookworm")
        }
        await #expect { try await builder.explain("LIBC6", architecture: "amd64") } throws: {
            "\($0)".contains("lowercase") && "\($0)".contains("'libc6'")
        }
        await #expect { try await builder.explain("libc6", architecture: "arm64") } throws: { "\($0)".contains("--arch arm64") }
    }

    /// A target ending in `/` puts the file into that folder; replacing what the packages ship is an error.
    @Test func appTargetsGoIntoFoldersAndNeverReplaceWhatPackagesShip() async throws {
        let header = "base: static\narchs: [amd64]\n" + BuildFixture.header(distro: "debian12")
        await #expect {
            _ = try await BuildFixture.build(header + "app:\n  - {source: tool, target: /usr/bin}\n", files: ["tool": "#!x\n"])
        } throws: { "\($0)".contains("would replace the folder /usr/bin that") && "\($0)".contains("(target: /usr/bin/)") }
        await #expect {
            _ = try await BuildFixture.build(header + "app:\n  - {source: tool, target: /etc/services}\n", files: ["tool": "#!x\n"])
        } throws: { "\($0)".contains("would replace /etc/services that netbase ships") }
        let (dir, _) = try await BuildFixture.build(
            header + "app:\n  - {source: tool, target: /usr/bin/}\n  - {source: tool, target: /tmp/tool}\n", files: ["tool": "#!x\n"])
        let source = try ImageReference.oci(path: dir("out/\(dir.url.lastPathComponent)"), tag: "latest").openSource()
        let unpacked = try await RootfsUnpacker.unpack(source, under: dir.path)
        defer { try? unpacked.remove() }
        let rootfs = unpacked.rootfs
        #expect(FileManager.default.fileExists(atPath: rootfs + "/usr/bin/tool"))
        #expect(try String(contentsOfFile: rootfs + "/usr/bin/tool", encoding: .utf8) == "#!x\n")
        let tmp = try FileManager.default.attributesOfItem(atPath: rootfs + "/tmp")
        #expect((tmp[.posixPermissions] as? NSNumber)?.intValue == 0o1777, "the app layer keeps /tmp's mode")
    }

    /// The same commit checked out under umask 002 and 022 gives the same image.
    @Test func twoCheckoutsWithDifferentUmasksGiveTheSameDigest() async throws {
        let dir = try TemporaryDirectory("umask")
        let origin = dir("origin")
        try FileManager.default.createDirectory(atPath: origin + "/app/lib", withIntermediateDirectories: true)
        try ("name: umask\nbase: static\narchs: [amd64]\napp:\n  - {source: app, target: /app}\n" + BuildFixture.header(distro: "debian12"))
            .write(toFile: origin + "/distill.yaml", atomically: true, encoding: .utf8)
        try "#!/bin/false\n".write(toFile: origin + "/app/run", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: origin + "/app/run")
        try "data\n".write(toFile: origin + "/app/lib/data.txt", atomically: true, encoding: .utf8)
        let git = ["git", "-c", "user.name=distill", "-c", "user.email=distill@example.com", "-C", origin]
        try Tool.check(git + ["init", "-q"])
        try Tool.check(git + ["add", "."])
        try Tool.check(git + ["commit", "-q", "-m", "app"])
        var digests: [String: Digest] = [:]
        for umask in ["002", "022"] {
            let checkout = dir("checkout-\(umask)")
            try Tool.check(["sh", "-c", "umask \(umask) && git clone -q \"$0\" \"$1\"", origin, checkout])
            let mode = try FileManager.default.attributesOfItem(atPath: checkout + "/app/lib/data.txt")[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == (umask == "002" ? 0o664 : 0o644), "the checkouts really differ")
            var options = BuildOptions(cacheDirectory: BuildFixture.cache.path)
            options.outputDirectory = checkout + "/out"
            digests[umask] = try await ImageBuilder(build: try BuildFile.load(checkout + "/distill.yaml"), options: options).run().root.digest
        }
        #expect(digests["002"] != nil && digests["002"] == digests["022"])
        let image = try await ImageReference.oci(path: dir("checkout-002/out/umask"), tag: "latest").openSource().images()[0]
        let layer = try await ImageReference.oci(path: dir("checkout-002/out/umask"), tag: "latest").openSource().openVerifiedBlob(image.manifest.layers[1])
        let reader = try ArchiveReader(source: layer, format: .tar, name: "app layer")
        var modes: [String: UInt32] = [:]
        try reader.forEachEntry { modes[$0.rawPath] = $0.permissions }
        #expect(modes["app/run"] == 0o755 && modes["app/lib/data.txt"] == 0o644 && modes["app/lib/"] ?? modes["app/lib"] == 0o755, "\(modes)")
    }
}
