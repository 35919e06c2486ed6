import Foundation
import ImageBuild
import Testing

private func parse(_ text: String) throws -> BuildFile {
    try BuildFile.parse(text, file: "distill.yaml", directory: "/work/app")
}

@Test func parsesTheSpecExample() throws {
    let build = try parse(
        """
        name: app
        base: python3
        distro: debian12
        archs: [amd64, arm64]
        packages: [libpq5]
        app:
          - {source: app/, target: /app, owner: "65532:65532", mode: "0755"}
        entrypoint: ["/usr/bin/python3.11", "-m", "app"]
        user: nonroot
        workdir: /app
        env: {PYTHONUNBUFFERED: "1"}
        expose: [8080, 53/udp]
        healthcheck: ["/usr/bin/python3.11", "-c", "print(1)"]
        labels: {team: core}
        annotations: {org.opencontainers.image.source: https://example.com/repo}
        """)
    #expect(build.name == "app")
    #expect(build.base == .python3)
    #expect(build.archs == ["amd64", "arm64"])
    #expect(build.packages == ["libpq5"])
    #expect(build.app == [AppEntry(source: "/work/app/app/", target: "/app", uid: 65532, gid: 65532, mode: 0o755)])
    #expect(build.entrypoint == ["/usr/bin/python3.11", "-m", "app"])
    #expect(build.env == ["PYTHONUNBUFFERED": "1"])
    #expect(build.expose == ["8080/tcp", "53/udp"])
    #expect(build.healthcheck?.command.first == "/usr/bin/python3.11")
    #expect(build.annotations["org.opencontainers.image.source"] == "https://example.com/repo")
}

@Test func defaultsAreNonrootOnTheHostArchitecture() throws {
    let build = try parse("base: static\n")
    #expect(build.user == "nonroot")
    #expect(build.distro == .debian12)
    #expect(build.archs == [BuildFile.hostArchitecture])
    #expect(build.name == "app")
}

@Test(arguments: [
    ("base: static\nbasse: x\n", 2, 1, "unknown key 'basse'"),
    ("base: static\narchs: [amd64, sparc]\n", 2, 16, "'sparc' is not valid here"),
    ("base: alpine\n", 1, 7, "'alpine' is not valid here (expected one of: static, base-nossl, base, cc, python3)"),
    ("base: static\napp:\n  - {source: x}\n", 3, 5, "needs `target:`"),
    ("base: static\napp:\n  - {source: x, target: rel}\n", 3, 25, "target must be an absolute path"),
    ("base: static\nexpose: [http]\n", 2, 10, "'http' is not a port"),
    ("base: static\nenv: [A]\n", 2, 6, "env must be a mapping"),
    ("base: static\nentrypoint: /bin/app\n", 2, 13, "entrypoint must be a list"),
    ("base: static\napp:\n  - {source: x, target: /x, mode: rwx}\n", 3, 35, "mode is octal"),
    ("base: static\nbase: cc\n", 2, 1, "duplicate key 'base'"),
    ("distro: debian12\n", 1, 1, "say what goes in the image"),
    ("base: [static\n", 2, 1, "invalid YAML"),
])
func errorsNameLineColumnAndWhatWasExpected(_ text: String, _ line: Int, _ column: Int, _ message: String) {
    do {
        _ = try parse(text)
        Issue.record("expected an error for \(text)")
    } catch {
        let description = "\(error)"
        #expect(description.hasPrefix("distill.yaml:\(line):\(column): "), "\(description)")
        #expect(description.contains(message), "\(description)")
    }
}

@Test func pythonRequirementsAreRefusedUntilSupportedRatherThanIgnored() {
    #expect(throws: BuildError.self) { try parse("base: python3\npython:\n  requirements: r.txt\n") }
}

@Test func crlfBuildFilesParse() throws {
    let scratch = NSTemporaryDirectory() + "/distill-crlf-\(getpid()).yaml"
    try "base: static\r\npackages: [libc6]\r\n".write(toFile: scratch, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let build = try BuildFile.load(scratch)
    #expect(build.packages == ["libc6"])
}
