import ContainerRuntime
import Foundation
import ImageBuild
import StructureTest

/// Hand-written YAML: the build file and container-structure-test files (both through StrictYAML).
enum YAMLFuzzTargets {
    static let all = [buildfile, structuretest]

    static let buildfile = FuzzTarget(name: "buildfile", summary: "distill.yaml build files", seeds: buildFileSeeds) { data in
        attempt {
            _ = try BuildFile.parse(String(decoding: data, as: UTF8.self), file: "distill.yaml", directory: "/nonexistent/fuzz")
        }
    }

    static let structuretest = FuzzTarget(name: "structuretest", summary: "container-structure-test files", seeds: structureTestSeeds) {
        data in
        attempt {
            _ = try StructureTestFile(yaml: String(decoding: data, as: UTF8.self), path: "tests.yaml")
        }
    }

    // MARK: seeds

    @Sendable static func buildFileSeeds(_ testData: URL) -> [FuzzSeed] {
        [
            FuzzSeed(
                "python-app",
                """
                name: python-app
                base: python3
                distro: debian12
                archs: [amd64, arm64]
                packages: [libpq5]
                exclude: [libgomp1]
                app:
                  - {source: app, target: /app/app, owner: "1000:1000", mode: "0755"}
                entrypoint: ["/usr/bin/python3", "-m", "app"]
                cmd: ["--port", "8080"]
                user: nonroot
                workdir: /app
                env: {PYTHONPATH: /app, PYTHONUNBUFFERED: "1"}
                expose: [8080, "9090/udp"]
                healthcheck:
                  command: ["/usr/bin/python3", "-c", "print(1)"]
                  interval: 30
                  timeout: 3
                labels: {team: web}
                annotations: {org.opencontainers.image.source: "https://example.com/repo"}
                mirror: http://127.0.0.1:8080/debian
                suites: [bookworm, bookworm-updates]

                """),
            FuzzSeed("static", "base: static\ndistro: debian13\n"),
            FuzzSeed("anchors", "base: &b static\npackages: [*b]\nenv: {A: !!str 1}\n", valid: false),
            FuzzSeed("accounts", "base: base\nuser: \"1000:1000\"\naccounts:\n  users: [{name: app, uid: 1000, gid: 1000, home: /home/app}]\n  groups: [{name: app, gid: 1000}]\n", valid: false),
        ]
    }

    @Sendable static func structureTestSeeds(_ testData: URL) -> [FuzzSeed] {
        SeedFiles.files(testData, "distroless-tests") { $0.hasSuffix(".yaml") }
    }
}
