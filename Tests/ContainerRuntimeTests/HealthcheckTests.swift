import ContainerRuntime
import Foundation
import ImageFormat
import Testing

@Suite("Running the image's healthcheck")
struct HealthcheckTests {
    let runner: ContainerRunner
    let rootfs: String

    init() throws {
        runner = try ContainerRunner()
        rootfs = try PythonFixture.bookworm.rootfs()
    }

    /// The python fixture serving HTTP on 127.0.0.1:8080, with `test` as its healthcheck.
    func server(healthcheck test: [String], retries: Int? = nil) -> ImageConfiguration {
        var image = PythonFixture.bookworm.image
        image.config?.cmd = ["-m", "http.server", "8080", "--bind", "127.0.0.1"]
        image.config?.healthcheck = HealthConfig(test: test, timeout: 5_000_000_000, retries: retries)
        return image
    }

    static let probe = ["CMD", "/usr/bin/python3", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8080/')"]

    @Test("a check that reaches the running server is healthy")
    func healthy() async throws {
        let result = try await runner.healthcheck(rootfs: rootfs, image: server(healthcheck: Self.probe))
        #expect(result.status == .healthy, "\(result)")
        #expect(result.attempts.last?.exitCode == 0)
    }

    @Test("a check that keeps failing is unhealthy after the retries, with its output")
    func unhealthy() async throws {
        let wrongPort = ["CMD", "/usr/bin/python3", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:9/')"]
        let result = try await runner.healthcheck(rootfs: rootfs, image: server(healthcheck: wrongPort, retries: 2))
        #expect(result.status == .unhealthy)
        #expect(result.attempts.count == 2)
        #expect(result.attempts.last?.output.contains("Connection refused") == true, "\(result)")
        #expect(result.description.contains("unhealthy"))
    }

    @Test("CMD-SHELL needs /bin/sh, which a distroless image lacks: a clear error")
    func shellForm() async throws {
        await #expect(throws: RuntimeError.healthcheckNeedsShell(command: "curl -f http://localhost/")) {
            try await runner.healthcheck(rootfs: rootfs, image: server(healthcheck: ["CMD-SHELL", "curl -f http://localhost/"]))
        }
    }

    @Test("NONE disables the check; no healthcheck at all is an error")
    func disabledOrMissing() async throws {
        let disabled = try await runner.healthcheck(rootfs: rootfs, image: server(healthcheck: ["NONE"]))
        #expect(disabled.status == .disabled)
        await #expect(throws: RuntimeError.noHealthcheck) {
            try await runner.healthcheck(rootfs: rootfs, image: PythonFixture.bookworm.image)
        }
    }

    @Test("a container that exits before the check passes is unhealthy")
    func exitsEarly() async throws {
        var image = server(healthcheck: Self.probe)
        image.config?.cmd = ["-c", "import sys; print('bye'); sys.exit(3)"]
        let result = try await runner.healthcheck(rootfs: rootfs, image: image)
        #expect(result.status == .unhealthy)
        #expect(result.reason.contains("exited (code 3)"), "\(result)")
        #expect(result.containerOutput.contains("bye"))
    }

    @Test("standalone mode runs just the check in its own container")
    func standalone() async throws {
        var image = PythonFixture.bookworm.image
        image.config?.healthcheck = HealthConfig(test: ["CMD", "/usr/bin/python3", "-c", "import ssl"])
        let result = try await runner.healthcheck(rootfs: rootfs, image: image, mode: .standalone)
        #expect(result.status == .healthy, "\(result)")
    }
}
