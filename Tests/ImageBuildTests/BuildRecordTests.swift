import Foundation
import ImageBuild
import ImageFormat
import ImageTransport
import TestSupport
import Testing

/// The build record beside the outputs: read back as written, and found only for the image it describes.
struct BuildRecordTests {
    static func record(_ name: String, manifest: String, config: String) -> BuildRecord {
        BuildRecord(
            name: name, variant: "debug", seconds: 1.2345678, finished: "2026-07-11T10:00:00Z", root: Digest.sha256(of: Data(manifest.utf8)),
            images: [.init(architecture: "amd64", manifest: Digest.sha256(of: Data(manifest.utf8)), config: Digest.sha256(of: Data(config.utf8)))],
            outputs: ["oci:build/\(name):latest"])
    }

    @Test func theRecordReadsBackAsWritten() throws {
        let record = Self.record("app", manifest: "m", config: "c")
        let data = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(BuildRecord.self, from: data) == record)
    }

    @Test func aRecordIsFoundOnlyForItsImage() throws {
        let dir = try TemporaryDirectory("records")
        func write(_ record: BuildRecord, as file: String) throws {
            try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: dir(file)))
        }
        try write(Self.record("app", manifest: "stale", config: "stale"), as: "app.build.json")
        try write(Self.record("renamed", manifest: "m", config: "c"), as: "renamed.build.json")
        try "not json".write(toFile: dir("broken.build.json"), atomically: true, encoding: .utf8)
        let oci = ImageReference.oci(path: dir("app"), tag: "latest")
        // The record named after the image is stale; another record in the folder describes it.
        #expect(BuildRecord.find(for: oci, digest: Digest.sha256(of: Data("m".utf8)))?.name == "renamed")
        // A docker-archive has another manifest, and the same configuration.
        let archive = ImageReference.dockerArchive(path: dir("app.tar"), tag: nil)
        #expect(BuildRecord.find(for: archive, digest: Digest.sha256(of: Data("other".utf8)), config: Digest.sha256(of: Data("c".utf8)))?.name == "renamed")
        #expect(BuildRecord.find(for: oci, digest: Digest.sha256(of: Data("unknown".utf8))) == nil)
        #expect(BuildRecord.find(for: .rootfs(path: dir("app")), digest: Digest.sha256(of: Data("m".utf8))) == nil)
    }
}
