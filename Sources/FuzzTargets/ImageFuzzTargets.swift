import Foundation
import ImageFormat
import ImageTransport

/// OCI and Docker JSON: manifests, indexes, configs, docker-archive manifest.json, the layout marker.
enum ImageFuzzTargets {
    static let all = [oci]

    /// The bytes as each image JSON model, as ``ImageRoot`` sorts them, and each accepted model re-encoded and decoded again.
    static let oci = FuzzTarget(name: "oci", summary: "OCI manifests, indexes, configs; docker-archive manifest.json", seeds: seeds) { data in
        var accepted = false
        let outcome = attempt {
            for mediaType in [MediaType.ociManifest, MediaType.ociIndex, "application/octet-stream"] {
                let descriptor = Descriptor(mediaType: mediaType, digest: Digest.sha256(of: data), size: Int64(data.count))
                if (try? ImageRoot(descriptor: descriptor, data: data, image: "fuzz")) != nil { accepted = true }
            }
            if try roundTrip(ImageManifest.self, data) { accepted = true }
            if try roundTrip(ImageIndex.self, data) { accepted = true }
            if try roundTrip(ImageConfiguration.self, data) { accepted = true }
            if try roundTrip([DockerArchiveManifestEntry].self, data) { accepted = true }
            if try roundTrip(OCILayoutMarker.self, data) { accepted = true }
        }
        if case .violated = outcome { return outcome }
        return accepted ? .accepted : .rejected
    }

    /// Decodes `data` as `T`; when that works, its canonical encoding must decode to an equal value.
    static func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ data: Data) throws -> Bool {
        guard let value = try? CanonicalJSON.decode(T.self, from: data, what: "fuzz") else { return false }
        guard let encoded = try? CanonicalJSON.encode(value) else {
            throw FuzzError.propertyViolated("a decoded \(T.self) cannot be encoded again")
        }
        guard let again = try? CanonicalJSON.decode(T.self, from: encoded, what: "fuzz") else {
            throw FuzzError.propertyViolated("the encoding of a decoded \(T.self) does not decode: \(String(decoding: encoded, as: UTF8.self))")
        }
        try require(again == value, "\(T.self) changed in an encode/decode round trip")
        return true
    }

    @Sendable static func seeds(_ testData: URL) -> [FuzzSeed] {
        let layer = "sha256:" + String(repeating: "ab", count: 32)
        let config = "sha256:" + String(repeating: "cd", count: 32)
        let manifest = "sha256:" + String(repeating: "ef", count: 32)
        return [
            FuzzSeed(
                "manifest",
                #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config)","size":1234},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(layer)","size":5678,"annotations":{"a":"b"}}],"annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"}}"#
            ),
            FuzzSeed(
                "index",
                #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(manifest)","size":400,"platform":{"architecture":"arm64","os":"linux","variant":"v8"},"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}"#
            ),
            FuzzSeed(
                "config",
                #"{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"User":"65532","Env":["PATH=/usr/bin"],"Entrypoint":["/app"],"Cmd":["-v"],"WorkingDir":"/home/nonroot","Labels":{"a":"b"},"ExposedPorts":{"8080/tcp":{}},"Healthcheck":{"Test":["CMD","/app","health"],"Interval":30000000000}},"rootfs":{"type":"layers","diff_ids":["\#(layer)"]},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"distill","comment":"debian packages"}]}"#
            ),
            FuzzSeed("docker-manifest", #"[{"Config":"blobs/sha256/\#(String(repeating: "cd", count: 32))","RepoTags":["app:latest"],"Layers":["blobs/sha256/\#(String(repeating: "ab", count: 32))"]}]"#),
            FuzzSeed("layout", #"{"imageLayoutVersion":"1.0.0"}"#),
        ]
    }
}
