import Foundation
import ImageFormat
import Testing

@testable import ImageBuild

@Test(arguments: [
    ("", "/home/nonroot"),
    ("user: nonroot\n", "/home/nonroot"),
    ("user: \"65532\"\n", "/home/nonroot"),
    ("user: root\n", "/root"),
    ("user: nobody\n", "/"),
    ("user: \"1234\"\n", "/"),
    ("user: app\naccounts: {users: [{name: app, uid: 1000}]}\n", "/home/app"),
    ("user: \"1000:1000\"\naccounts: {users: [{name: app, uid: 1000}]}\n", "/home/app"),
    ("user: svc\naccounts: {users: [{name: svc, uid: 1001, home: /srv}]}\n", "/"),
    ("user: app\nworkdir: /app\naccounts: {users: [{name: app, uid: 1000}]}\n", "/app"),
])
func theDefaultWorkdirIsTheHomeTheImageHasForItsUser(_ yaml: String, _ workdir: String) throws {
    let build = try BuildFile.parse("base: static\n" + yaml, file: "distill.yaml", directory: "/w")
    let configuration = try ImageConfigBuilder.configuration(build, architecture: "amd64", created: "2024-01-01T00:00:00Z", layerComments: [])
    #expect(configuration.config?.workingDir == workdir)
}

@Test func theSummaryCountsInTheSingular() throws {
    let manifest = Descriptor(mediaType: MediaType.ociManifest, digest: .sha256(of: Data()), size: 1)
    func summary(packages: Int, layers: Int) -> String {
        let image = BuildResult.ArchImage(
            architecture: "amd64", manifest: manifest, compressedSize: 1, uncompressedSize: 1,
            packages: (0..<packages).map { "p\($0)=1" }, layers: layers, reusedLayers: 0)
        return BuildResult(root: manifest, images: [image], outputs: [], seconds: 1, warnings: []).summary
    }
    #expect(summary(packages: 1, layers: 1).contains("1 package, 1 layer\n"))
    #expect(summary(packages: 5, layers: 2).contains("5 packages, 2 layers\n"))
}
