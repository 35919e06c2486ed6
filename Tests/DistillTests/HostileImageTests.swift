import Foundation
import ImageFormat
import Testing
import TestSupport

/// Image layouts that try to make a reader loop or recurse: indexes nested without end, an index that names
/// itself, JSON nested a million levels deep. Every command that reads them stops with one `error:` line.
@Suite struct HostileInputTests {
    /// A real one-layer image in an OCI layout at `dir/base`, made by distill from a small rootfs; returns its manifest descriptor JSON.
    static func baseLayout(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try DistillCLI.makeRootfs(at: dir("rootfs"))
        try DistillCLI.check(["convert", "rootfs:" + dir("rootfs"), "oci:" + dir("base")], in: dir.path)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.path("base/index.json"))) as? [String: Any]
        let manifests = try #require(index?["manifests"] as? [[String: Any]])
        return manifests[0].filter { $0.key != "annotations" }
    }

    /// Stores `json` as a blob of the layout at `layout`; returns its descriptor.
    static func put(_ json: Data, mediaType: String, in layout: String) throws -> [String: Any] {
        let digest = Digest.sha256(of: json)
        try json.write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + digest.encoded))
        return ["mediaType": mediaType, "digest": digest.description, "size": json.count]
    }

    static func setRoot(_ descriptor: [String: Any], of layout: String) throws {
        let index: [String: Any] = ["schemaVersion": 2, "mediaType": MediaType.ociIndex, "manifests": [descriptor]]
        try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: layout + "/index.json"))
    }

    /// Runs every reading command on `oci:layout`: each must fail with one `error:` line containing one of `expected`, and write nothing.
    static func expectRefused(_ layout: String, in dir: TemporaryDirectory, saying expected: String..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        let commands = [
            ["convert", "oci:" + layout, "oci:" + dir("copy")], ["convert", "oci:" + layout, "docker-archive:" + dir("copy")],
            ["run", "oci:" + layout], ["scan", "oci:" + layout, "--db", dir("vuln.db")],
        ]
        for command in commands {
            let result = try DistillCLI.run(command, in: dir.path)
            #expect(result.status == 1, "\(command): exit \(result.status) (a crash is a signal, not 1)", sourceLocation: sourceLocation)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error:"), "\(command): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(expected.contains { result.stderr.contains($0) }, "\(command): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: dir("copy")), sourceLocation: sourceLocation)
        }
    }

    /// Found by this test: convert copied such an index whole, skipping the inner index, so the copy named a blob it lacked.
    @Test("indexes nested a thousand deep are refused at the second level", arguments: [MediaType.ociIndex, MediaType.ociManifest])
    func nestedIndexes(childType: String) throws {
        let dir = try TemporaryDirectory("nested")
        var child = try Self.baseLayout(dir)
        for _ in 0..<1000 {
            let index: [String: Any] = ["schemaVersion": 2, "mediaType": MediaType.ociIndex, "manifests": [child]]
            child = try Self.put(try JSONSerialization.data(withJSONObject: index), mediaType: childType, in: dir("base"))
        }
        child["mediaType"] = MediaType.ociIndex
        try Self.setRoot(child, of: dir("base"))
        // Labelled as a manifest, the inner index is found out when it is read as one.
        try Self.expectRefused(dir("base"), in: dir, saying: "nested indexes are not supported", "is not a manifest")
    }

    @Test("an index that lists itself is refused by its digest, not followed")
    func selfReference() throws {
        let dir = try TemporaryDirectory("self-reference")
        _ = try Self.baseLayout(dir)
        // A blob stored under the digest it lists: it cannot hash to that name, so reading it fails verification.
        let claimed = Digest.sha256(of: Data("the index's own name".utf8))
        let me: [String: Any] = ["mediaType": MediaType.ociIndex, "digest": claimed.description, "size": 0]
        var json = Data()
        for _ in 0..<2 {
            var descriptor = me
            descriptor["size"] = json.count
            json = try JSONSerialization.data(withJSONObject: ["schemaVersion": 2, "mediaType": MediaType.ociIndex, "manifests": [descriptor]])
        }
        var root = me
        root["size"] = json.count
        try json.write(to: URL(fileURLWithPath: dir("base/blobs/sha256/") + claimed.encoded))
        try Self.setRoot(root, of: dir("base"))
        try Self.expectRefused(dir("base"), in: dir, saying: claimed.encoded.prefix(12).description)
    }

    @Test("a manifest or index.json nested a million levels deep is an error, not a stack overflow", arguments: [false, true])
    func deepJSON(inIndexJSON: Bool) throws {
        let dir = try TemporaryDirectory("deep-json")
        let depth = 1_000_000
        let deep = Data(String(repeating: "[", count: depth).utf8) + Data(String(repeating: "]", count: depth).utf8)
        if inIndexJSON {
            _ = try Self.baseLayout(dir)
            try (Data(#"{"schemaVersion":2,"manifests":[],"annotations":{"x":"#.utf8) + deep + Data("}}".utf8))
                .write(to: dir.path("base/index.json"))
        } else {
            let base = try Self.baseLayout(dir)
            let manifest = Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":"#.utf8)
                + (try JSONSerialization.data(withJSONObject: base)) + Data(#","layers":[],"annotations":{"x":"#.utf8) + deep + Data("}}".utf8)
            try Self.setRoot(try Self.put(manifest, mediaType: MediaType.ociManifest, in: dir("base")), of: dir("base"))
        }
        try Self.expectRefused(dir("base"), in: dir, saying: "base")
    }

    @Test("a docker-archive whose member declares a terabyte is refused under the default unpack limit")
    func archiveBomb() throws {
        let dir = try TemporaryDirectory("archive-bomb")
        try ForgedTar.regular(name: "manifest.json", size: 1 << 40).write(to: dir.path("bomb.tar"))
        let result = try DistillCLI.run(["convert", "docker-archive:" + dir("bomb.tar"), "oci:" + dir("copy")], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error:") && result.stderr.contains("16 GiB") && result.stderr.contains("DISTILL_UNPACK_LIMIT"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir("copy")))
    }
}
