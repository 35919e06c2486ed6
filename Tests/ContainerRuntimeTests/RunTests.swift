import ContainerRuntime
import Foundation
import ImageFormat
import Testing

@Suite("Running containers with runc")
struct RunTests {
    let runner: ContainerRunner
    let rootfs: String

    init() throws {
        runner = try ContainerRunner()
        rootfs = try PythonFixture.rootfs()
    }

    func python(_ code: String, _ options: RunOptions = RunOptions()) async throws -> ContainerResult {
        var options = options
        options.args = ["-c", code]
        return try await runner.run(rootfs: rootfs, image: PythonFixture.image, options: options)
    }

    @Test("the image's user 65532 runs the process")
    func userID() async throws {
        let result = try await python("import os; print(os.getuid(), os.getgid(), os.getcwd())")
        #expect(result.exitCode == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "65532 65532 /home/nonroot\n")
    }
}
