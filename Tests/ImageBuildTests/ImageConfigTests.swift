import Foundation
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
