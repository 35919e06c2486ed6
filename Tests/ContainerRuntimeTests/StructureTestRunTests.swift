import ContainerRuntime
import Foundation
import ImageFormat
import StructureTest
import Testing
import TestSupport

/// The container-structure-test runner against the python fixture and broken copies of it.
@Suite("distill test: container-structure-test files")
struct StructureTestRunTests {
    let rootfs: String
    static let distrolessTests = SharedTestData.testdata.appendingPathComponent("distroless-tests")

    init() throws {
        rootfs = try PythonFixture.bookworm.rootfs()
    }

    static func distroless(_ relative: String) -> String {
        distrolessTests.appendingPathComponent(relative).path
    }

    @Test("Google's distroless python3, base and debian12 test files pass on the python fixture")
    func distrolessFilesPass() async throws {
        let report = try await StructureTestRunner().run(
            configPaths: [Self.distroless("python3/python3.yaml"), Self.distroless("base/base.yaml"),
                          Self.distroless("static/debian12.yaml")],
            rootfs: rootfs, image: PythonFixture.bookworm.image)
        #expect(report.succeeded, "\(report.text)")
        #expect(report.failed == 0)
        #expect(report.passed == 4 + 13 + 4 + 1)
        #expect(report.text.hasSuffix("22 passed, 0 failed\n"))
        let names = report.results.map(\.title)
        #expect(names.contains("Command Test: no_shell"))
        #expect(names.contains("File Content Test: known users"))
    }

    @Test("on Debian 13: python3.13 imports every standard module (import_everything) and base/static pass")
    func debian13() async throws {
        let trixie = PythonFixture.trixie
        let report = try await StructureTestRunner().run(
            configPaths: [Self.distroless("python3/debian13.yaml"), Self.distroless("python3/python3.yaml"),
                          Self.distroless("base/base.yaml"), Self.distroless("static/debian13.yaml")],
            rootfs: try trixie.rootfs(), image: trixie.image)
        #expect(report.succeeded, "\(report.text)")
        #expect(report.summary == "25 passed, 0 failed")
        let everything = try #require(report.results.first { $0.name == "import_everything" })
        #expect(everything.stdout?.contains("imported xml.etree.ElementTree") == true)
    }

    @Test("a broken image fails: missing /etc/passwd, wrong os-release, no python binary")
    func brokenImageFails() async throws {
        let broken = try PythonFixture.bookworm.clone()
        defer { try? FileManager.default.removeItem(atPath: broken) }
        try FileManager.default.removeItem(atPath: broken + "/etc/passwd")
        try FileManager.default.removeItem(atPath: broken + "/usr/lib/os-release")
        try Data("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n".utf8).write(to: URL(fileURLWithPath: broken + "/usr/lib/os-release"))
        try FileManager.default.removeItem(atPath: broken + "/usr/bin/python3.11")

        let report = try await StructureTestRunner().run(
            configPaths: [Self.distroless("python3/python3.yaml"), Self.distroless("base/base.yaml")],
            rootfs: broken, image: PythonFixture.bookworm.image)
        #expect(!report.succeeded)
        #expect(report.text.contains("passed, \(report.failed) failed"))
        let failures = Dictionary(uniqueKeysWithValues: report.results.filter { $0.outcome == .failed }.map { ($0.title, $0) })
        #expect(failures["File Existence Test: passwd"]?.messages == ["/etc/passwd should exist but does not"])
        #expect(failures["File Content Test: known users"]?.messages.first?.hasPrefix("cannot read /etc/passwd") == true)
        #expect(failures["File Content Test: /etc/os-release pretty name"]?.messages.first?
            .hasPrefix("expected 'PRETTY_NAME=\"Distroless\"' not found in /etc/os-release") == true)
        // A missing binary exits 127 the way `docker run` reports it, so the expected exit code fails.
        let hello = try #require(failures["Command Test: hello"])
        #expect(hello.messages.contains("exit code 127, expected 0"), "\(hello.messages)")
        #expect(hello.messages.contains { $0.hasPrefix("expected 'Hello World' not found in stdout") })
        #expect(report.text.contains("FAIL  Command Test: hello"))
    }

    @Test("a file content test expecting the wrong text fails with the regex and an excerpt")
    func wrongContent() async throws {
        let file = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            fileContentTests:
              - name: wrong
                path: /etc/os-release
                expectedContents: ['VERSION_ID="13"']
                excludedContents: ['Distroless']
            """, path: "inline.yaml")
        let report = try await StructureTestRunner().run(files: [file], rootfs: rootfs, image: PythonFixture.bookworm.image)
        #expect(!report.succeeded)
        let messages = try #require(report.results.first?.messages)
        #expect(messages.count == 2)
        #expect(messages[0].hasPrefix("expected 'VERSION_ID=\"13\"' not found in /etc/os-release: \"PRETTY_NAME="))
        #expect(messages[1].hasPrefix("excluded 'Distroless' found in /etc/os-release"))
        #expect(report.summary == "0 passed, 1 failed")
    }

    @Test("file existence: Go mode strings, owners, symlinks reported as links, executability")
    func fileExistence() async throws {
        let file = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            fileExistenceTests:
              - {name: tmp, path: /tmp, permissions: dtrwxrwxrwx, uid: 0, gid: 0}
              - {name: home, path: /home/nonroot, permissions: drwx------, uid: 65532, gid: 65532}
              - {name: link, path: /etc/os-release, permissions: Lrwxrwxrwx}
              - {name: python, path: /usr/bin/python3.11, permissions: -rwxr-xr-x, isExecutableBy: other}
              - {name: through-link, path: /usr/bin/python3, shouldExist: true}
              - {name: no-shell, path: /bin/sh, shouldExist: false}
              - {name: no-apt, path: /usr/bin/apt, shouldExist: false}
              - {name: env path, path: '${HOME_DIR}/x', shouldExist: false}
              - {name: wrong, path: /etc/passwd, permissions: -rw-------, isExecutableBy: any, uid: 1}
            """, path: "inline.yaml")
        let report = try await StructureTestRunner().run(files: [file], rootfs: rootfs, image: PythonFixture.bookworm.image)
        #expect(report.passed == 8, "\(report.text)")
        let wrong = try #require(report.results.last)
        #expect(wrong.messages == [
            "/etc/passwd has permissions -rw-r--r--, expected -rw-------",
            "/etc/passwd is not executable by any (permissions -rw-r--r--)",
            "/etc/passwd is owned by uid 0, expected 1",
        ])
    }

    @Test("metadata tests compare against the image configuration")
    func metadata() async throws {
        var image = PythonFixture.bookworm.image
        image.config?.exposedPorts = ["8080/tcp": EmptyObject()]
        image.config?.labels = ["org.opencontainers.image.source": "https://example.com/repo"]
        let passing = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            metadataTest:
              env:
                - {key: SSL_CERT_FILE, value: /etc/ssl/certs/ca-certificates.crt}
                - {key: PATH, value: '.*/usr/bin.*', isRegex: true}
              unboundEnv: [{key: PYTHONPATH}]
              labels: [{key: org.opencontainers.image.source, value: 'https://example\\.com/.*', isRegex: true}]
              exposedPorts: ["8080"]
              unexposedPorts: ["22"]
              entrypoint: [/usr/bin/python3.11]
              cmd: []
              workdir: /home/nonroot
              user: "65532"
            """, path: "pass.yaml")
        let failing = try StructureTestFile(yaml: """
            schemaVersion: "1.0.0"
            metadataTest:
              env: [{key: LANG, value: C.UTF-8}]
              entrypoint: [/usr/bin/python3]
              user: nonroot
              exposedPorts: ["9090"]
            """, path: "fail.yaml")
        // The names container-structure-test uses since late 2022.
        let current = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            metadataTest:
              envVars: [{key: SSL_CERT_FILE, value: /etc/ssl/certs/ca-certificates.crt}]
              unboundEnvVars: [{key: PYTHONPATH}]
            """, path: "current.yaml")
        let currentFailing = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            metadataTest:
              envVars: [{key: SSL_CERT_FILE, value: /nowhere}]
              unboundEnvVars: [{key: SSL_CERT_FILE}]
            """, path: "current-fail.yaml")
        let report = try await StructureTestRunner().run(files: [passing, failing, current, currentFailing], rootfs: rootfs, image: image)
        #expect(report.results.map(\.outcome) == [.passed, .failed, .passed, .failed], "\(report.text)")
        #expect(report.results[3].messages == [
            "env var SSL_CERT_FILE is '/etc/ssl/certs/ca-certificates.crt', expected '/nowhere'",
            "env var SSL_CERT_FILE should not be set but is '/etc/ssl/certs/ca-certificates.crt'",
        ])
        #expect(report.results[1].messages == [
            "env var LANG is not set in the image",
            "entrypoint is [\"/usr/bin/python3.11\"], expected [\"/usr/bin/python3\"]",
            "user is '65532', expected 'nonroot'",
            "port 9090 is not exposed (exposed: 8080/tcp)",
        ])
    }

    @Test("command tests: v2 command+args, envVars, stderr, exit codes, setup shared with the command")
    func commands() async throws {
        let file = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            globalEnvVars: [{key: GLOBAL, value: g}]
            commandTests:
              - name: env and args
                command: /usr/bin/python3
                args: ["-c", "import os, sys; print(os.environ['GLOBAL'], os.environ['LOCAL'], sys.argv[1:])", "${SSL_CERT_FILE}", "$UNSET"]
                envVars: [{key: LOCAL, value: "$PATH"}]
                expectedOutput: ['^g /usr/local/sbin:.* \\[''/etc/ssl/certs/ca-certificates.crt'', ''\\$UNSET''\\]\\n$']
              - name: stderr and exit code
                command: [/usr/bin/python3, -c, "import sys; sys.stderr.write('oops'); sys.exit(4)"]
                expectedError: [oops]
                excludedOutput: [.]
                exitCode: 4
              - name: setup writes, command reads, teardown runs
                setup: [[/usr/bin/python3, -c, "open('/tmp/marker', 'w').write('from setup')"]]
                command: [/usr/bin/python3, -c, "print(open('/tmp/marker').read())"]
                teardown: [[/usr/bin/python3, -c, "import os; os.remove('/tmp/marker')"]]
                expectedOutput: [from setup]
              - name: each test has its own container
                command: [/usr/bin/python3, -c, "import os; print(os.path.exists('/tmp/marker'))"]
                expectedOutput: [False]
              - name: wrong expectations
                command: [/usr/bin/python3, -c, "print('hello')"]
                expectedOutput: [goodbye]
                excludedOutput: [hel+o]
                exitCode: 2
            """, path: "commands.yaml")
        let report = try await StructureTestRunner().run(files: [file], rootfs: rootfs, image: PythonFixture.bookworm.image)
        #expect(report.results.map(\.outcome) == [.passed, .passed, .passed, .passed, .failed], "\(report.text)")
        #expect(report.results[4].messages == [
            "expected 'goodbye' not found in stdout: \"hello\\n\"",
            "excluded 'hel+o' found in stdout: \"hello\\n\"",
            "exit code 0, expected 2",
        ])
    }

    @Test("without a usable runc, command tests fail with the reason instead of being skipped")
    func runcUnavailable() async throws {
        let runner = StructureTestRunner(runner: ContainerRunner(runc: Runc(executable: "/nonexistent/runc")))
        let report = try await runner.run(
            configPaths: [Self.distroless("python3/python3.yaml")], rootfs: rootfs, image: PythonFixture.bookworm.image)
        #expect(report.failed == 4)
        #expect(report.results[0].messages.first?.contains("/nonexistent/runc") == true, "\(report.text)")
        #expect(throws: RuntimeError.runcNotFound(searched: ["/nowhere"])) {
            try Runc.locate(environment: ["PATH": "/nowhere"], fallbackDirectories: [])
        }
        #expect(RuntimeError.runcNotFound(searched: []).description.contains("apt-get install runc"))
    }

    @Test("a license test is reported skipped, pointing at what the image does have")
    func licenseTestsAreSkippedWithAPointerThatExists() async throws {
        let file = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            licenseTests: [{debian: true, files: []}]
            """, path: "licenses.yaml")
        let report = try await StructureTestRunner().run(files: [file], rootfs: rootfs, image: PythonFixture.bookworm.image)
        #expect(report.results.map(\.outcome) == [.skipped])
        let message = report.results[0].messages.joined()
        #expect(message.contains("/usr/share/doc/<package>/copyright") && !message.contains("distill sbom"), "\(message)")
        #expect(FileManager.default.fileExists(atPath: rootfs + "/usr/share/doc/libc6/copyright"))
    }
}
