import Archive
import Debian
import Foundation
@testable import ImageBuild
import ImageFormat
import ImageTransport
import TestSupport
import Testing

/// `base: {image:}` and `copy_from:` as the build file writes them, their lock entries, and which packages a
/// base's dpkg database makes unnecessary.
@Suite struct BaseImageFileTests {
    static func parse(_ text: String) throws -> BuildFile {
        try BuildFile.parse(text, file: "distill.yaml", directory: "/work/app")
    }

    @Test func baseTakesAPresetOrAnImage() throws {
        #expect(try Self.parse("base: cc\n").base == .cc)
        let build = try Self.parse(
            """
            base: {image: "127.0.0.1:5000/team/base:1"}
            copy_from:
              - image: docker://python:3.11-slim
                paths: [/usr/local/lib/python3.11/, /usr/local/bin/python3]
                target: /opt/python
              - {image: "oci:layouts/tools:v2", paths: [/bin/tool]}

            """)
        #expect(build.base == nil)
        #expect(build.baseImage?.text == "127.0.0.1:5000/team/base:1")
        guard case .registry(let reference)? = build.baseImage?.reference else { Issue.record("not a registry reference"); return }
        #expect(reference.registry == "127.0.0.1:5000" && reference.repository == "team/base" && reference.tag == "1")
        #expect(build.copyFrom.count == 2)
        #expect(build.copyFrom[0].paths == ["usr/local/lib/python3.11", "usr/local/bin/python3"])
        #expect(build.copyFrom[0].destination(of: "usr/local/bin/python3") == "opt/python/python3")
        #expect(build.copyFrom[1].image.reference == .oci(path: "/work/app/layouts/tools", tag: "v2"), "relative to the build file")
        #expect(build.copyFrom[1].destination(of: "bin/tool") == "bin/tool")
    }

    @Test(arguments: [
        ("base: {imag: x}\n", 1, 8, "unknown key 'imag'"),
        ("base: {}\n", 1, 7, "needs `image:`"),
        ("base: {image: \"ociarchive:x.tar\"}\n", 1, 15, "is not an image reference"),
        ("base: {image: \"rootfs:/x\"}\n", 1, 15, "a registry reference, oci:"),
        ("base: static\ncopy_from:\n  - {image: \"oci:x\", paths: [usr/lib]}\n", 3, 30, "'usr/lib' is not absolute"),
        ("base: static\ncopy_from:\n  - {image: \"oci:x\", paths: [/usr/../etc]}\n", 3, 30, "has '..'"),
        ("base: static\ncopy_from:\n  - {image: \"oci:x\", paths: [/]}\n", 3, 30, "is the image root"),
        ("base: static\ncopy_from:\n  - {image: \"oci:x\", paths: []}\n", 3, 29, "list at least one path"),
        ("base: static\ncopy_from:\n  - {paths: [/x]}\n", 3, 5, "needs `image:`"),
        ("base: static\ncopy_from:\n  - {image: \"oci:x\"}\n", 3, 5, "needs `paths:`"),
        ("base: static\ncopy_from:\n  - {image: \"oci:x\", paths: [/x], target: rel}\n", 3, 43, "'rel' is not absolute"),
        ("base: static\ncopy_from:\n  - {image: \"oci:x\", paths: [/x], mode: 1}\n", 3, 35, "unknown key 'mode'"),
    ])
    func errorsNameLineAndColumn(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)".hasPrefix("distill.yaml:\(line):\(column): "), "\(error)")
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    static let digest = try! Digest("sha256:" + String(repeating: "a", count: 64))

    @Test func lockedImagesRoundTrip() throws {
        let image = LockedImage(
            reference: "127.0.0.1:5000/base:1",
            manifests: ["amd64": Descriptor(mediaType: MediaType.ociManifest, digest: Self.digest, size: 512)])
        #expect(try JSONDecoder().decode(LockedImage.self, from: JSONEncoder().encode(image)) == image)

        let dir = try TemporaryDirectory("base-lock")
        var lock = BuildLockTests.sample()
        lock.baseImage = image
        lock.copyFrom = [LockedImage(reference: "oci:/x:1", manifests: ["arm64": Descriptor(mediaType: MediaType.dockerManifest, digest: Self.digest, size: 9)])]
        try lock.write(to: dir("distill.lock"))
        #expect(try BuildLock.read(dir("distill.lock")) == lock)
        let text = try String(contentsOfFile: dir("distill.lock"), encoding: .utf8)
        #expect(text.contains("\"base_image\"") && text.contains("\"copy_from\""))
        // An index (or a layer) where a platform manifest belongs is refused.
        lock.baseImage?.manifests["amd64"]?.mediaType = MediaType.ociIndex
        try lock.write(to: dir("bad.lock"))
        #expect(throws: BuildError.self) { try BuildLock.read(dir("bad.lock")) }
    }

    /// A Debian-style base: one `/var/lib/dpkg/status` file, rewritten by a later layer; only `install ok installed` counts.
    @Test func theBasesDpkgStatusFileIsRead() async throws {
        let dir = try TemporaryDirectory("base-dpkg-status")
        func stanza(_ name: String, _ version: String, _ status: String) -> String {
            "Package: \(name)\nStatus: \(status)\nArchitecture: amd64\nVersion: \(version)\n\n"
        }
        var lower = LayerTree()
        lower.insert(.file(.bytes(Data((stanza("tzdata", "2024a-0", "install ok installed") + stanza("netbase", "6.4", "install ok installed")).utf8))), at: "var/lib/dpkg/status")
        var upper = LayerTree()
        upper.insert(.file(.bytes(Data((stanza("tzdata", "2025b-0", "install ok installed") + stanza("netbase", "6.4", "deinstall ok config-files")).utf8))), at: "var/lib/dpkg/status")
        upper.insert(.file(.bytes(Data("Package: libc6\nArchitecture: amd64\nVersion: 2.36-9\n".utf8))), at: "var/lib/dpkg/status.d/libc6")
        try await TestBaseImage.write(to: dir("base"), layers: [lower, upper], config: ContainerConfig(), architecture: "amd64")
        let input = ImageInput(text: "oci:base:1", reference: .oci(path: dir("base"), tag: "1"))
        let store = try ImageStore(cacheDirectory: dir("cache"), offline: false, log: { _ in })
        let locked = try await store.pin(input, architectures: ["amd64"])
        let base = try await BaseImage.read(try await store.fetch(input, locked: locked, architecture: "amd64", lockFile: "distill.lock"))
        let installed = base.debianPackages
        #expect(installed["tzdata"]?.version == "2025b-0")
        #expect(installed["libc6"]?.version == "2.36-9")
        #expect(installed["netbase"] == nil, "removed, its config files left: not installed")
    }

    @Test func packagesTheBaseHasAtTheLockedVersionOrNewerAreSkipped() {
        func download(_ name: String, _ version: String) -> PackageDownload {
            PackageDownload(name: name, version: version, suite: "bookworm", filename: "pool/\(name).deb", sha256: String(repeating: "b", count: 64), size: 1)
        }
        let locked = [download("libc6", "2.36-9"), download("tzdata", "2024a-0"), download("zlib1g", "1:1.2.13"), download("netbase", "6.4")]
        let installed: [String: (version: String, architecture: String?)] = [
            "libc6": ("2.36-9", "amd64"), "tzdata": ("2025b-0", "all"), "zlib1g": ("1:1.2.11", "amd64"), "netbase": ("6.4", "arm64"),
        ]
        let (install, skipped) = BasePackages.split(locked, installed: installed, architecture: "amd64")
        #expect(install.map(\.name) == ["zlib1g", "netbase"], "older in the base, or another architecture's")
        #expect(skipped == ["libc6", "tzdata (base has 2025b-0, locked 2024a-0)"])
    }
}
