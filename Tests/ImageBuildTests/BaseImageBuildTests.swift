import Archive
import Debian
import Foundation
@testable import ImageBuild
import ImageFormat
import ImageTransport
import TestSupport
import Testing

/// `base: {image: REF}` and `copy_from:` on hand-made OCI layouts: the base's layers kept byte for byte, its
/// config merged, the digest pinned in the lock (and used offline), paths copied with owners and modes.
@Suite struct BaseImageBuildTests {
    /// A base with accounts, a file, and a program whose config sets env, user, workdir, entrypoint and labels.
    @discardableResult
    static func writeBase(_ path: String, greeting: String = "from the base\n") async throws -> (manifest: Descriptor, layers: [Descriptor], diffIDs: [Digest]) {
        var lower = LayerTree()
        lower.insert(.file(.bytes(Data("root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:1000::/srv:/sbin/nologin\n".utf8))), at: "etc/passwd")
        lower.insert(.file(.bytes(Data(greeting.utf8))), at: "etc/greeting")
        lower.insert(.directory(mode: 0o750, uid: 1000, gid: 1000), at: "srv")
        var upper = LayerTree()
        upper.insert(.file(.bytes(Data("#!/usr/bin/tool\n".utf8)), mode: 0o755), at: "usr/bin/tool")
        let config = ContainerConfig(
            user: "1000:1000", env: ["PATH=/usr/bin:/bin", "FOO=base", "KEEP=1"], entrypoint: ["/usr/bin/tool"], cmd: ["--serve"],
            workingDir: "/srv", labels: ["a": "base", "b": "base"])
        return try await TestBaseImage.write(to: path, layers: [lower, upper], config: config)
    }

    static let yaml = """
        name: app
        base: {image: "oci:base:1"}
        env: {FOO: mine}
        labels: {b: mine}
        app:
          - {source: hello.txt, target: /srv/hello.txt}

        """

    @Test func theBaseLayersStayByteForByteAndItsConfigIsMerged() async throws {
        let dir = try TemporaryDirectory("base-image")
        let cache = try TemporaryDirectory("base-image-cache")
        let base = try await Self.writeBase(dir("base"))
        let (_, result) = try await BuildFixture.build(Self.yaml, files: ["hello.txt": "hi\n"], in: dir, cache: cache.path)
        let built = try await TestBaseImage.read(dir("out/app"))
        #expect(Array(built.manifest.layers.prefix(2)) == base.layers)
        #expect(Array(built.configuration.rootfs.diffIDs.prefix(2)) == base.diffIDs)
        #expect(built.manifest.layers.count == 4, "base, base, skeleton files the base lacks, app")
        let config = try #require(built.configuration.config)
        #expect(config.env == ["PATH=/usr/bin:/bin", "FOO=mine", "KEEP=1"])
        #expect(config.user == "1000:1000")
        #expect(config.workingDir == "/srv")
        #expect(config.entrypoint == ["/usr/bin/tool"] && config.cmd == ["--serve"])
        #expect(config.labels == ["a": "base", "b": "mine"])
        #expect(built.configuration.history?.first?.createdBy == "test layer 0")
        #expect(built.configuration.history?.count == 4)
        #expect(built.configuration.created == "2023-11-14T22:13:20Z", "no package is added: the base's date")
        // The base's /etc/passwd is not replaced; the app file belongs to the base's user.
        let files = try Self.flatten(dir("out/app"), built.manifest)
        #expect(files["etc/passwd"]?.layer == 0)
        #expect(files["etc/group"]?.layer == 2)
        #expect(files["srv/hello.txt"].map { ($0.uid, $0.gid) } ?? (0, 0) == (1000, 1000))
        #expect(files["srv"]?.permissions == 0o750)
        // The lock pins the platform manifest.
        let lock = try BuildLock.read(dir("distill.lock"))
        #expect(lock.baseImage?.reference == "oci:base:1")
        #expect(lock.baseImage?.manifests[BuildFile.hostArchitecture]?.digest == base.manifest.digest)

        // The tag moves on: the locked digest is still what is built, online or offline.
        try await Self.writeBase(dir("base"), greeting: "a newer base\n")
        let (_, again) = try await BuildFixture.build(Self.yaml, files: ["hello.txt": "hi\n"], in: dir, cache: cache.path)
        #expect(again.root == result.root)
        let (_, offline) = try await BuildFixture.build(Self.yaml, files: ["hello.txt": "hi\n"], in: dir, cache: cache.path) { $0.offline = true }
        #expect(offline.root == result.root)
        // --update-lock takes the new one.
        let (_, updated) = try await BuildFixture.build(Self.yaml, files: ["hello.txt": "hi\n"], in: dir, cache: cache.path) { $0.updateLock = true }
        #expect(updated.root != result.root)
        #expect(try BuildLock.read(dir("distill.lock")).baseImage?.manifests[BuildFile.hostArchitecture]?.digest != base.manifest.digest)
    }

    @Test func eachArchitecturePinsItsOwnManifestOfTheIndex() async throws {
        let dir = try TemporaryDirectory("base-image-index")
        let images = try await TestBaseImage.writeIndex(to: dir("multi"), architectures: ["amd64", "arm64"])
        let yaml = "name: app\narchs: [amd64, arm64]\nbase: {image: \"oci:multi:1\"}\napp:\n  - {source: hello.txt, target: /hello.txt}\n"
        _ = try await BuildFixture.build(yaml, files: ["hello.txt": "hi\n"], in: dir, cache: try TemporaryDirectory("base-index-cache").path)
        let lock = try BuildLock.read(dir("distill.lock"))
        let source = try OCILayoutSource(path: dir("out/app"), tag: "latest")
        defer { source.close() }
        for architecture in ["amd64", "arm64"] {
            let base = try #require(images[architecture])
            #expect(lock.baseImage?.manifests[architecture]?.digest == base.manifest.digest)
            let built = try await source.image(for: Platform(debianArchitecture: architecture))
            #expect(built.manifest.layers.first == base.layers.first)
            #expect(built.configuration.architecture == Platform(debianArchitecture: architecture).architecture)
        }
    }

    @Test func aBaseTheLockDoesNotPinAsksForUpdateLock() async throws {
        let dir = try TemporaryDirectory("base-image-relock")
        let cache = try TemporaryDirectory("base-relock-cache")
        try await Self.writeBase(dir("base"))
        _ = try await BuildFixture.build(Self.yaml, files: ["hello.txt": "hi\n"], in: dir, cache: cache.path)
        let other = Self.yaml.replacingOccurrences(of: "oci:base:1", with: "oci:base:2")
        do {
            _ = try await BuildFixture.build(other, files: ["hello.txt": "hi\n"], in: dir, cache: cache.path)
            Issue.record("a base the lock does not pin was built")
        } catch {
            #expect("\(error)".contains("oci:base:2") && "\(error)".contains("--update-lock"), "\(error)")
        }
    }

    @Test func offlineWithoutTheBaseInTheCacheSaysSo() async throws {
        let dir = try TemporaryDirectory("base-image-offline")
        try await Self.writeBase(dir("base"))
        _ = try await BuildFixture.build(Self.yaml, files: ["hello.txt": "hi\n"], in: dir, cache: try TemporaryDirectory("base-cache-1").path)
        let empty = try TemporaryDirectory("base-cache-2")
        do {
            _ = try await BuildFixture.build(Self.yaml, files: ["hello.txt": "hi\n"], in: dir, cache: empty.path) { $0.offline = true }
            Issue.record("an offline build without the cached base succeeded")
        } catch {
            #expect("\(error)".contains("oci:base:1") && "\(error)".contains("--offline"), "\(error)")
        }
    }

    /// A source image with owners, modes, a link, and a second layer that deletes one file and replaces another.
    static func writeSource(_ path: String) async throws {
        var lower = LayerTree()
        lower.insert(.directory(mode: 0o775, uid: 1234, gid: 5678), at: "usr/local/lib/py")
        lower.insert(.file(.bytes(Data("print(1)\n".utf8)), mode: 0o640, uid: 1234, gid: 5678), at: "usr/local/lib/py/a.py")
        lower.insert(.file(.bytes(Data("b\n".utf8))), at: "usr/local/lib/py/sub/b.txt")
        lower.insert(.file(.bytes(Data("gone\n".utf8))), at: "usr/local/lib/py/old.txt")
        lower.insert(.file(.bytes(Data("old py3\n".utf8)), mode: 0o755), at: "usr/local/bin/py3")
        lower.insert(.symlink(to: "py3"), at: "usr/local/bin/py")
        lower.insert(.file(.bytes(Data("other\n".utf8)), mode: 0o600, uid: 7, gid: 8), at: "etc/other")
        var upper = LayerTree()
        upper.insert(.directory(mode: 0o775, uid: 1234, gid: 5678), at: "usr/local/lib/py")
        upper.insert(.file(.bytes(Data())), at: "usr/local/lib/py/.wh.old.txt")
        upper.insert(.file(.bytes(Data("new py3\n".utf8)), mode: 0o4755), at: "usr/local/bin/py3")
        try await TestBaseImage.write(to: path, layers: [lower, upper], config: ContainerConfig())
    }

    @Test func copyFromKeepsOwnersModesAndLinksWithWhiteoutsApplied() async throws {
        let dir = try TemporaryDirectory("copy-from")
        try await Self.writeBase(dir("base"))
        try await Self.writeSource(dir("src"))
        let yaml = """
            name: app
            base: {image: "oci:base:1"}
            copy_from:
              - image: oci:src:1
                paths: [/usr/local/lib/py, /usr/local/bin/py, /usr/local/bin/py3]
              - {image: "oci:src:1", paths: [/etc/other], target: /opt/etc}

            """
        _ = try await BuildFixture.build(yaml, in: dir, cache: try TemporaryDirectory("copy-from-cache").path)
        let built = try await TestBaseImage.read(dir("out/app"))
        let files = try Self.flatten(dir("out/app"), built.manifest)
        let script = try #require(files["usr/local/lib/py/a.py"])
        #expect(script.permissions == 0o640 && script.uid == 1234 && script.gid == 5678)
        #expect(files["usr/local/lib/py"].map { ($0.permissions, $0.uid) } ?? (0, 0) == (0o775, 1234))
        #expect(files["usr/local/lib/py/sub/b.txt"] != nil)
        #expect(files["usr/local/lib/py/old.txt"] == nil, "the whiteout applies")
        #expect(files["usr/local/lib/py/.wh.old.txt"] == nil)
        #expect(files["usr/local/bin/py"]?.kind == .symlink(target: "py3"))
        #expect(files["usr/local/bin/py3"]?.permissions == 0o4755)
        #expect(files["usr/local/bin/py3"]?.size == Int64("new py3\n".utf8.count))
        #expect(files["opt/etc/other"].map { ($0.permissions, $0.uid, $0.gid) } ?? (0, 0, 0) == (0o600, 7, 8))
        #expect(files["etc/other"] == nil)
        // GNU tar reads the same owners and modes from the app layer.
        let appLayer = dir("out/app/blobs/sha256/" + (built.manifest.layers.last?.digest.encoded ?? ""))
        let listing = try Tool.check(["tar", "-tzvf", appLayer, "--numeric-owner"])
        #expect(listing.split(separator: "\n").contains { $0.hasPrefix("-rw-r----- 1234/5678") && $0.hasSuffix("usr/local/lib/py/a.py") }, "\(listing)")
        #expect(listing.split(separator: "\n").contains { $0.hasPrefix("-rwsr-xr-x 0/0") && $0.hasSuffix("usr/local/bin/py3") }, "\(listing)")
        // Pinned in the lock, one entry per copy_from image.
        let lock = try BuildLock.read(dir("distill.lock"))
        #expect(lock.copyFrom.map(\.reference) == ["oci:src:1", "oci:src:1"])
    }

    @Test func aPathTheImageLacksIsAnErrorNamingImageAndPath() async throws {
        let dir = try TemporaryDirectory("copy-from-missing")
        try await Self.writeBase(dir("base"))
        try await Self.writeSource(dir("src"))
        let yaml = "name: app\nbase: {image: \"oci:base:1\"}\ncopy_from:\n  - {image: \"oci:src:1\", paths: [/usr/local/lib/nothing]}\n"
        do {
            _ = try await BuildFixture.build(yaml, in: dir, cache: try TemporaryDirectory("copy-from-cache").path)
            Issue.record("a missing copy_from path built")
        } catch {
            #expect("\(error)".contains("oci:src:1") && "\(error)".contains("/usr/local/lib/nothing is not in that image"), "\(error)")
        }
    }

    @Test func debianPackagesTheBaseHasAreNotAddedAgain() async throws {
        let dir = try TemporaryDirectory("base-debian")
        let header = BuildFixture.header(distro: "debian12")
        // The base: distill's own static image, whose status.d lists tzdata, netbase, base-files…
        let first = try TemporaryDirectory("base-debian-first")
        _ = try await BuildFixture.build(header + "name: first\nbase: static\n", in: first)
        let baseLayers = try await TestBaseImage.read(first("out/first")).manifest.layers
        let log = LogLines()
        let yaml = header + "name: app\nbase: {image: \"oci:\(first("out/first")):latest\"}\npackages: [tzdata, libc6]\n"
        _ = try await BuildFixture.build(yaml, in: dir) { $0.log = log.append }
        #expect(log.lines.contains { $0.contains("not added again: tzdata") }, "\(log.lines)")
        let built = try await TestBaseImage.read(dir("out/app"))
        #expect(Array(built.manifest.layers.prefix(baseLayers.count)) == baseLayers)
        #expect(built.manifest.layers.count == baseLayers.count + 1, "one OS layer, and no skeleton files: the base has them all")
        let added = try LayerFlattener.flatten(layers: [dir("out/app/blobs/sha256/" + built.manifest.layers[baseLayers.count].digest.encoded)])
        let paths = Set(added.map(\.path))
        #expect(paths.contains("var/lib/dpkg/status.d/libc6"))
        #expect(!paths.contains("var/lib/dpkg/status.d/tzdata"))
        #expect(!paths.contains { $0.hasPrefix("usr/share/zoneinfo/") })
        #expect(!paths.contains("etc/passwd"))
    }

    /// The final files of the image whose manifest is `manifest` in the layout at `path`, by normalized path.
    static func flatten(_ path: String, _ manifest: ImageManifest) throws -> [String: FlattenedEntry] {
        let layers = manifest.layers.map { path + "/blobs/sha256/" + $0.digest.encoded }
        return Dictionary(uniqueKeysWithValues: try LayerFlattener.flatten(layers: layers).map { ($0.path, $0) })
    }
}
