import Foundation
import ImageFormat
import Testing

private let d1 = try! Digest(sha256Hex: String(repeating: "a", count: 64))
private let d2 = try! Digest(sha256Hex: String(repeating: "b", count: 64))

/// Encodes then decodes `value`, and checks nothing was lost (a field dropped by an init or CodingKeys).
private func roundTrip<T: Codable & Equatable>(_ value: T) throws {
    let data = try CanonicalJSON.encode(value)
    let back = try CanonicalJSON.decode(T.self, from: data, what: "test")
    #expect(back == value)
    #expect(try CanonicalJSON.encode(back) == data)
}

@Test func descriptorRoundTripsEveryField() throws {
    try roundTrip(
        Descriptor(
            mediaType: MediaType.ociManifest, digest: d1, size: 42, urls: ["https://example.com/x"],
            annotations: ["k": "v"], data: "e30=",
            platform: Platform(architecture: "arm64", os: "linux", osVersion: "1", osFeatures: ["f"], variant: "v8", features: ["g"]),
            artifactType: "application/x"))
}

@Test func manifestAndIndexRoundTripEveryField() throws {
    let config = Descriptor(mediaType: MediaType.ociConfig, digest: d1, size: 1)
    try roundTrip(
        ImageManifest(
            mediaType: MediaType.ociManifest, artifactType: "a/b", config: config,
            layers: [Descriptor(mediaType: MediaType.ociLayerGzip, digest: d2, size: 2)], subject: config,
            annotations: ["x": "y"]))
    try roundTrip(ImageIndex(artifactType: "a/b", manifests: [config], subject: config, annotations: ["x": "y"]))
}

@Test func configurationRoundTripsEveryField() throws {
    let config = ContainerConfig(
        user: "65532", exposedPorts: ["8080/tcp": EmptyObject()], env: ["A=1"], entrypoint: ["/app"], cmd: ["x"],
        volumes: ["/data": EmptyObject()], workingDir: "/app", labels: ["l": "v"], stopSignal: "SIGTERM",
        argsEscaped: false,
        healthcheck: HealthConfig(test: ["CMD", "/app", "health"], interval: 1, timeout: 2, startPeriod: 3, startInterval: 4, retries: 5),
        onBuild: ["RUN x"], shell: ["/bin/sh", "-c"])
    try roundTrip(
        ImageConfiguration(
            created: "2024-01-01T00:00:00Z", author: "me", architecture: "amd64", os: "linux", osVersion: "v",
            osFeatures: ["f"], variant: "v1", config: config, rootfs: RootFS(diffIDs: [d1, d2]),
            history: [History(created: "c", author: "a", createdBy: "b", comment: "m", emptyLayer: true)]))
}

@Test func layoutFilesRoundTrip() throws {
    try roundTrip(OCILayoutMarker())
    try roundTrip(
        DockerArchiveManifestEntry(
            config: "blobs/sha256/aa", repoTags: ["app:latest"], layers: ["blobs/sha256/bb"],
            layerSources: ["sha256:x": Descriptor(mediaType: MediaType.dockerLayerGzip, digest: d1, size: 3)]))
}

@Test func configUsesSpecFieldNames() throws {
    let json = String(
        decoding: try CanonicalJSON.encode(
            ImageConfiguration(architecture: "amd64", osVersion: "1", config: ContainerConfig(workingDir: "/w"), rootfs: RootFS(diffIDs: [d1]))),
        as: UTF8.self)
    #expect(json.contains("\"diff_ids\""))
    #expect(json.contains("\"os.version\""))
    #expect(json.contains("\"WorkingDir\""))
}

@Test(arguments: [
    "sha256:abc", "md5:" + String(repeating: "a", count: 32), "sha256:" + String(repeating: "A", count: 64),
    "sha256" + String(repeating: "a", count: 64), "sha256:" + String(repeating: "g", count: 64), "",
])
func invalidDigestsAreRefused(_ text: String) {
    #expect(throws: ImageFormatError.self) { try Digest(text) }
}

@Test func sha256OfKnownInput() {
    // Pinned: sha256("") and sha256("abc").
    #expect(Digest.sha256(of: Data()).description == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(Digest.sha256(of: Data("abc".utf8)).encoded == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
}

@Test func descriptorVerifyCatchesTampering() throws {
    let data = Data("hello".utf8)
    let good = Descriptor(mediaType: "x", digest: .sha256(of: data), size: 5)
    try good.verify(data, what: "blob")
    #expect(throws: ImageFormatError.self) { try good.verify(Data("hellp".utf8), what: "blob") }
    #expect(throws: ImageFormatError.self) { try good.verify(Data("hell".utf8), what: "blob") }
}
