import ImageBuild
import Archive
import Foundation
import ImageFormat
import ImageTransport
import SBOM
import Testing
import TestSupport
import Vulnerabilities

@Suite struct ImagePackageReaderTests {
    /// A three-layer image: dpkg status and packages, then a layer that deletes and replaces some of them.
    static func writeImage(to path: String) async throws {
        let scratch = try TemporaryDirectory("layers")
        var base = LayerTree()
        base.insert(.file(.bytes(Data("ID=debian\nVERSION_ID=\"12\"\n".utf8))), at: "usr/lib/os-release")
        base.insert(.symlink(to: "../usr/lib/os-release"), at: "etc/os-release")
        base.insert(.file(.bytes(Data("Package: libssl3\nVersion: 3.0.20-1~deb12u2\nSource: openssl\nArchitecture: amd64\n".utf8))), at: "var/lib/dpkg/status.d/libssl3")
        base.insert(.file(.bytes(Data("garbage that is not read\n".utf8))), at: "var/lib/dpkg/status.d/libssl3.md5sums")
        base.insert(.file(.bytes(Data("Package: gone\nVersion: 1.0\n".utf8))), at: "var/lib/dpkg/status.d/gone")
        base.insert(.file(.bytes(Data("Name: Jinja2\nVersion: 2.10\n".utf8))), at: "usr/lib/python3/dist-packages/Jinja2-2.10.dist-info/METADATA")
        base.insert(.file(.bytes(Data("Name: old\nVersion: 1.0\n".utf8))), at: "opt/venv/old-1.0.dist-info/METADATA")
        var dpkg = LayerTree()
        dpkg.insert(
            .file(.bytes(Data("Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nSource: zlib\n\nPackage: removed\nStatus: deinstall ok config-files\nVersion: 1\n".utf8))),
            at: "var/lib/dpkg/status")
        var top = LayerTree()
        top.insert(.file(.bytes(Data())), at: "var/lib/dpkg/status.d/.wh.gone")
        top.insert(.file(.bytes(Data())), at: "opt/venv/.wh..wh..opq")
        top.insert(.file(.bytes(Data("Name: Jinja2\nVersion: 2.11.3\n".utf8))), at: "usr/lib/python3/dist-packages/Jinja2-2.10.dist-info/METADATA")
        let writer = LayerWriter(modificationTime: 1_700_000_000)
        let layers = try [base, dpkg, top].enumerated().map { i, tree in
            let file = scratch("layer-\(i)")
            return (try writer.write(tree, to: file), file)
        }
        let configuration = ImageConfiguration(architecture: "amd64", config: ContainerConfig(), rootfs: RootFS(diffIDs: []))
        let destination = try ImageReference.oci(path: path, tag: "latest").openDestination()
        let manifest = try await ImageAssembler.writeImage(layers: layers, configuration: configuration, to: destination)
        try await destination.commit(root: manifest)
    }

    @Test func readsTheFinalFilesystemOnly() async throws {
        let dir = try TemporaryDirectory("reader")
        try await Self.writeImage(to: dir("image"))
        let subject = try await ImagePackageReader.read(reference: "oci:\(dir("image")):latest")
        #expect(subject.debianEcosystem == "Debian:12")
        let names = Set(subject.packages.map { "\($0.ecosystem) \($0.name) \($0.version)" })
        // Python names come normalised (PEP 503), as the SBOM catalogers record them.
        #expect(names == ["Debian libssl3 3.0.20-1~deb12u2", "Debian zlib1g 1:1.2.13.dfsg-1", "PyPI jinja2 2.11.3"])
        #expect(subject.packages.first { $0.name == "libssl3" }?.sourceName == "openssl")
    }

    /// A second scan of the same image takes its catalog from the cache, keyed by manifest digest: the layers
    /// are not read again (here they are gone, and the scan still answers), and another image is not confused with it.
    @Test func aCachedCatalogSparesReadingTheLayers() async throws {
        let dir = try TemporaryDirectory("reader-cache")
        try await Self.writeImage(to: dir("image"))
        let cache = CatalogCache(directory: dir("catalogs"))
        let first = try await ImagePackageReader.read(reference: "oci:\(dir("image")):latest", cache: cache)
        let stored = try FileManager.default.subpathsOfDirectory(atPath: dir("catalogs")).filter { $0.hasSuffix(".json") }
        #expect(stored.count == 1 && stored[0].hasPrefix("v1/sha256-"))
        // Without its layer blobs the image cannot be read, but its catalog is still known.
        let blobs = dir("image") + "/blobs/sha256"
        let manifestAndConfig = try Tool.check(["python3", "-c", "import json,sys; m=json.load(open(sys.argv[1]+'/index.json')); print(m['manifests'][0]['digest'])", dir("image")])
        for blob in try FileManager.default.contentsOfDirectory(atPath: blobs) {
            let data = try Data(contentsOf: URL(fileURLWithPath: blobs + "/" + blob))
            if data.count > 2, data[0] == 0x1F, data[1] == 0x8B { try FileManager.default.removeItem(atPath: blobs + "/" + blob) }
        }
        #expect(!manifestAndConfig.isEmpty)
        await #expect(throws: (any Error).self) { try await ImagePackageReader.read(reference: "oci:\(dir("image")):latest") }
        let again = try await ImagePackageReader.read(reference: "oci:\(dir("image")):latest", cache: cache)
        #expect(again == first)
        // A different image (another manifest digest) is read from its layers.
        try await Self.writeImage(to: dir("other"))
        try FileManager.default.removeItem(atPath: dir("catalogs"))
        await #expect(try await ImagePackageReader.read(reference: "oci:\(dir("other")):latest", cache: cache).packages == first.packages)
    }

    @Test func refusesAnImageThatIsNotThere() async throws {
        let dir = try TemporaryDirectory("reader")
        await #expect(throws: (any Error).self) { try await ScanInput.read("oci:\(dir("nothing"))") }
    }
}
