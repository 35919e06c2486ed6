import Foundation
import ImageBuild
import TestSupport
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
    ("base: static\nname: MyApp\n", 2, 7, "'MyApp' is not a valid image name"),
    ("base: static\nname: my app\n", 2, 7, "e.g. `my-app`"),
    ("distro: debian13\nsuites: [bookworm]\nbase: static\n", 2, 10, "'bookworm' is not a debian13 suite (debian13 is trixie: trixie, trixie-updates, trixie-security)"),
    ("base: base\nexclude: [bash, libc6]\n", 2, 17, "libc6 cannot be excluded: the base preset is made of it"),
    ("base: static\npackages: [libc6]\nexclude: [libc*]\n", 3, 11, "libc6 cannot be excluded: it is listed under packages:"),
    ("base: static\nuser: app\n", 2, 7, "'app' is neither nonroot, root, nobody, a numeric uid[:gid], nor a user under accounts.users"),
    ("base: static\nuser: -1\n", 2, 7, "'-1' is neither"),
    ("base: static\ncompression: brotli\n", 2, 14, "'brotli' is not valid here (expected one of: gzip, zstd)"),
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

@Test func pythonAndAppExcludesParse() throws {
    let build = try parse(
        "base: python3\npython:\n  packages: [flask>=3, \"pyyaml==6.0.2\"]\n  index-url: https://mirror.example/simple/\n"
            + "app:\n  - {source: \"dist/{arch}\", target: /app, exclude: [tests, \"*.md\"]}\n")
    #expect(build.python == PythonSettings(packages: ["flask>=3", "pyyaml==6.0.2"], indexURL: "https://mirror.example/simple/"))
    #expect(build.app.first?.exclude == ["tests", "*.md"])
    #expect(build.app.first?.source(for: "arm64").hasSuffix("/dist/arm64") == true)
}

@Test(arguments: [
    ("base: static\npython:\n  packages: [flask]\n", "this image has none; use `base: python3`"),
    ("base: python3\npython:\n  requirements: nowhere.txt\n", "the requirements file nowhere.txt does not exist"),
    ("base: python3\npython:\n  index-url: https://x.example/\n", "python: needs `requirements:`"),
    ("base: python3\npython:\n  packages: [flask]\n  index-url: ftp://x\n", "index-url is an http:// or https:// URL"),
    ("base: python3\npython:\n  packages: [\"flask>=\"]\n", "packages[0] 'flask>=' is not a requirement"),
    ("base: python3\npython:\n  packages: [flask]\n  wheels: true\n", "wheels"),
    ("base: static\napp:\n  - {source: a, target: /a, exclude: [../x]}\n", "'../x' is not an exclude pattern"),
])
func pythonAndExcludeMistakesNameTheirPlace(_ text: String, _ message: String) {
    #expect {
        try parse(text)
    } throws: { error in
        "\(error)".hasPrefix("distill.yaml:") && "\(error)".contains(message)
    }
}

@Test func crlfBuildFilesParse() throws {
    let scratch = NSTemporaryDirectory() + "/distill-crlf-\(getpid()).yaml"
    try "base: static\r\npackages: [libc6]\r\n".write(toFile: scratch, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let build = try BuildFile.load(scratch)
    #expect(build.packages == ["libc6"])
}

@Test func validNamesAndTheDefaultNameFromTheFolder() throws {
    for name in ["app", "my-app", "my_app.v2", "a__b", "a--b", "x1"] { #expect(BuildFile.isValidName(name), "\(name)") }
    for name in ["MyApp", "-app", "app-", "a___b", "a..b", "", "a/b", ".app", "app "] { #expect(!BuildFile.isValidName(name), "\(name)") }
    #expect(try BuildFile.parse("base: static\n", file: "distill.yaml", directory: "/work/My Web App").name == "my-web-app")
    #expect(try BuildFile.parse("base: static\n", file: "distill.yaml", directory: "/work/my_app").name == "my_app")
    #expect(try BuildFile.parse("base: static\nuser: app\naccounts: {users: [{name: app, uid: 1000}]}\n", file: "f", directory: "/w").user == "app")
}

@Test(arguments: [("distill.yaml", "/w/distill.lock"), ("cc3.yaml", "/w/cc3.lock"), ("sub/app.yml", "/w/app.lock"), ("Distillfile", "/w/Distillfile.lock")])
func theLockIsNamedAfterTheBuildFile(_ file: String, _ lock: String) throws {
    #expect(try BuildFile.parse("base: static\n", file: file, directory: "/w").lockPath == lock)
}

@Test func aByteOrderMarkIsAcceptedAndBinaryDataIsRefusedWithoutEchoingIt() throws {
    let dir = try TemporaryDirectory("text")
    try Data([0xEF, 0xBB, 0xBF] + Array("base: static\n".utf8)).write(to: URL(fileURLWithPath: dir("bom.yaml")))
    #expect(try BuildFile.load(dir("bom.yaml")).base == .static)
    try Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: dir("garbage.yaml")))
    #expect {
        try BuildFile.load(dir("garbage.yaml"))
    } throws: { error in
        let text = "\(error)"
        return text.contains("garbage.yaml") && text.contains("not a text file") && !text.contains("ELF")
    }
    try Data([0x62, 0x61, 0x73, 0x65, 0x3A, 0x20, 0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: dir("latin.yaml")))
    #expect { try BuildFile.load(dir("latin.yaml")) } throws: { "\($0)".contains("not UTF-8 text") }
}

@Test func aFolderStandsForTheDistillYamlInIt() throws {
    let dir = try TemporaryDirectory("folder")
    #expect {
        try BuildFile.load(dir.path)
    } throws: { "\($0)".contains("is a folder with no distill.yaml in it") && !"\($0)".contains("permission denied") }
    try "base: static\n".write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
    let build = try BuildFile.load(dir.path)
    #expect(build.path == dir("distill.yaml"))
    #expect(build.lockPath == dir("distill.lock"))
}

@Test func sourceDateEpochMustBeAWholeNumberOfSeconds() throws {
    #expect(try BuildOptions.sourceDateEpoch(from: [:]) == nil)
    #expect(try BuildOptions.sourceDateEpoch(from: ["SOURCE_DATE_EPOCH": ""]) == nil)
    #expect(try BuildOptions.sourceDateEpoch(from: ["SOURCE_DATE_EPOCH": "1700000000"]) == 1_700_000_000)
    for bad in ["abc", "-5", "1.5", " 12", "99999999999999999999"] {
        #expect(throws: BuildError.self, "\(bad)") { try BuildOptions.sourceDateEpoch(from: ["SOURCE_DATE_EPOCH": bad]) }
    }
}
