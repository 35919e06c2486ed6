import Archive
import Audit
import AuditFixtures
import Foundation
import ImageFormat
import ImageTransport
import TestSupport
import Testing

/// Each rule fires once, with its id, on an image made to break it; none fires on distill's presets and examples.
@Suite(.serialized) struct HardeningCheckTests {
    /// A small image that breaks nothing: a nonroot user, accounts, a program to run.
    static let clean: [(String, LayerNode)] = [
        ("etc/passwd", HandMadeImage.file("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n")),
        ("etc/group", HandMadeImage.file("root:x:0:\nnonroot:x:65532:\n")),
        ("usr/local/bin/app", HandMadeImage.file("#!app\n", mode: 0o755)),
        ("tmp", .directory(mode: 0o1777)),
    ]
    static let config = ContainerConfig(user: "65532", env: ["PATH=/usr/local/bin:/usr/bin"], entrypoint: ["/usr/local/bin/app"])

    static let key = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDbm0Jq7B5NXXsZ3Jqj1zMQhPlG3ZrD8ZkCV9wJ0p0F2AAAAJhYc4XfWHOF
        -----END OPENSSH PRIVATE KEY-----

        """

    /// (rule id, extra files, configuration): each case breaks exactly one rule once.
    static let cases: [(id: String, files: [(String, LayerNode)], config: ContainerConfig)] = [
        ("DI001", [], ContainerConfig(user: "0:0", env: config.env, entrypoint: config.entrypoint)),
        ("DI002", [("bin/sh", HandMadeImage.file("ELF", mode: 0o755))], config),
        ("DI003", [("usr/bin/dpkg", HandMadeImage.file("ELF", mode: 0o755))], config),
        ("DI004", [("usr/bin/su", HandMadeImage.file("ELF", mode: 0o4755))], config),
        ("DI005", [("app/data", HandMadeImage.file("x", mode: 0o666))], config),
        ("DI006", [("app/deploy.key", HandMadeImage.file(key))], config),
        ("DI007", [("home/nonroot/.aws/credentials", HandMadeImage.file("[default]\naws_secret_access_key = x\n"))], config),
        ("DI008", [("app/.env", HandMadeImage.file("DEBUG=1\n"))], config),
        ("DI009", [("app/.git/HEAD", HandMadeImage.file("ref: refs/heads/main\n"))], config),
        ("DI010", [], ContainerConfig(user: "65532", env: config.env! + ["AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"], entrypoint: config.entrypoint)),
        ("DI011", [], ContainerConfig(user: "65532", exposedPorts: ["8080/tcp": EmptyObject()], env: config.env, entrypoint: config.entrypoint)),
        ("DI012", [("etc/passwd", HandMadeImage.file("root:x:0:0::/root:/sbin/nologin\nnonroot:x:65532:65532::/:/sbin/nologin\napp:x:65532:65532::/:/sbin/nologin\n"))], config),
        ("DI013", [("etc/shadow", HandMadeImage.file("root:*:19000:0:99999:7:::\nnonroot::19000:0:99999:7:::\n"))], config),
        ("DI014", [], ContainerConfig(user: "65532", env: config.env, entrypoint: ["/usr/bin/python3", "-m", "app"])),
        ("DI015", [("busybox/busybox", HandMadeImage.file("ELF", mode: 0o755)), ("busybox/sh", .symlink(to: "busybox"))], config),
    ]

    @Test func everyRuleHasACase() {
        #expect(Self.cases.map(\.id) == CheckRule.all.map(\.id))
        #expect(Set(CheckRule.all.map(\.name)).count == CheckRule.all.count)
    }

    @Test(arguments: cases.indices)
    func eachRuleFiresOnceOnAnImageThatBreaksIt(_ index: Int) async throws {
        let (id, files, config) = Self.cases[index]
        let dir = try TemporaryDirectory("bad-image")
        let reference = try await HandMadeImage.write(layers: [HandMadeImage.tree(Self.clean + files)], config: config, to: dir("image"))
        let report = try await HardeningCheck.run(try reference.openSource())
        #expect(report.findings.map(\.ruleID) == [id], "\(id): \(report.table)")
        #expect(report.findings.first?.level == CheckRule.all.first { $0.id == id }?.level)
    }

    @Test func theCleanImagePasses() async throws {
        let dir = try TemporaryDirectory("clean-image")
        let reference = try await HandMadeImage.write(layers: [HandMadeImage.tree(Self.clean)], config: Self.config, to: dir("image"))
        let report = try await HardeningCheck.run(try reference.openSource())
        #expect(report.findings.isEmpty, "\(report.table)")
    }

    @Test(arguments: ["", "root", "0", "0:0", "root:root", "admin:50"])
    func everySpellingOfRootCounts(_ user: String) async throws {
        let dir = try TemporaryDirectory("root-user")
        let passwd = ("etc/passwd", HandMadeImage.file("root:x:0:0::/root:/sbin/nologin\nadmin:x:0:50::/:/sbin/nologin\n"))
        let reference = try await HandMadeImage.write(
            layers: [HandMadeImage.tree(Self.clean + [passwd])], config: ContainerConfig(user: user, env: Self.config.env, entrypoint: Self.config.entrypoint),
            to: dir("image"))
        let report = try await HardeningCheck.run(try reference.openSource())
        // admin shares uid 0 with root, which is also a duplicate.
        #expect(report.findings.filter { $0.ruleID == "DI001" }.count == 1, "'\(user)': \(report.table)")
    }

    @Test func whatALaterLayerDeletesIsNotReported() async throws {
        let dir = try TemporaryDirectory("deleted-key")
        let upper = HandMadeImage.tree([("app/.wh.deploy.key", HandMadeImage.file("")), ("bin/.wh.sh", HandMadeImage.file(""))])
        let reference = try await HandMadeImage.write(
            layers: [HandMadeImage.tree(Self.clean + [("app/deploy.key", HandMadeImage.file(Self.key)), ("bin/sh", HandMadeImage.file("x", mode: 0o755))]), upper],
            config: Self.config, to: dir("image"))
        await #expect(try await HardeningCheck.run(try await reference.openSource()).findings.isEmpty)
    }

    @Test(arguments: BuiltImages.presets.indices)
    func noRuleFiresOnAPreset(_ index: Int) async throws {
        let (preset, distro) = BuiltImages.presets[index]
        let image = try await BuiltImages.shared.preset(preset, distro: distro)
        let report = try await HardeningCheck.run(try image.reference.openSource())
        #expect(report.findings.isEmpty, "\(preset)/\(distro):\n\(report.table)")
    }

    @Test(arguments: BuiltImages.examples)
    func noRuleFiresOnAnExample(_ example: String) async throws {
        let image = try await BuiltImages.shared.example(example)
        let report = try await HardeningCheck.run(try image.reference.openSource())
        #expect(report.findings.isEmpty, "\(example):\n\(report.table)")
    }
}
