import ContainerRuntime
import Foundation
import ImageFormat
import Testing
import TestSupport

/// These tests need runc and root; when either is missing they fail with the runtime's own message.
@Suite("Running containers with runc")
struct RunTests {
    let container: PythonContainer
    var runner: ContainerRunner { container.runner }
    var rootfs: String { container.rootfs }

    init() throws { container = try PythonContainer() }

    func python(_ code: String, _ options: RunOptions = RunOptions()) async throws -> ContainerResult {
        try await container.python(code, options)
    }

    @Test("the image's user 65532 runs the process, in its working directory")
    func userID() async throws {
        let result = try await python("import os; print(os.getuid(), os.getgid(), os.getgroups(), os.getcwd())")
        #expect(result.exitCode == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "65532 65532 [] /home/nonroot\n")
        #expect(result.cleanupProblem == nil)
    }

    @Test("a user given by name is resolved through the image's /etc/passwd")
    func userByName() async throws {
        let result = try await python("import os; print(os.getuid(), os.getgid())", RunOptions(user: "nobody"))
        #expect(result.stdoutText == "65534 65534\n")
        let root = try await python("import os; print(os.getuid())", RunOptions(user: "root"))
        #expect(root.stdoutText == "0\n")
    }

    @Test("a non-root user has no effective capabilities and no new privileges")
    func capabilities() async throws {
        let result = try await python(
            "print(''.join(l for l in open('/proc/self/status') if l.startswith(('CapEff', 'CapBnd', 'NoNewPrivs'))))")
        #expect(result.stdoutText.contains("CapEff:\t0000000000000000"))
        #expect(result.stdoutText.contains("NoNewPrivs:\t1"))
        #expect(!result.stdoutText.contains("CapBnd:\t000001ffffffffff"))
    }

    @Test("there is no shell: subprocess with shell=True fails")
    func noShell() async throws {
        let result = try await python("import subprocess; subprocess.check_call('echo hi', shell=True)")
        #expect(result.exitCode == 1)
        #expect(result.stderrText.contains("FileNotFoundError"))
        #expect(result.stderrText.contains("/bin/sh"))
    }

    @Test("exit codes pass through", arguments: [0, 1, 3, 42, 255])
    func exitCodes(code: Int32) async throws {
        let result = try await python("import sys; sys.exit(\(code))")
        #expect(result.exitCode == code)
    }

    @Test("the root filesystem is read-only, even for root")
    func readOnlyRoot() async throws {
        let result = try await python(
            "import os\ntry:\n open('/x', 'w')\nexcept OSError as e:\n print(e.errno)", RunOptions(user: "root"))
        #expect(result.stdoutText == "30\n", "EROFS expected, got \(result.stdoutText) \(result.stderrText)")
    }

    @Test("a writable root is a throw-away layer: the image directory is never changed")
    func writableRoot() async throws {
        let code = "open('/home/nonroot/made-in-container', 'w').write('x'); print(open('/home/nonroot/made-in-container').read())"
        let result = try await python(code, RunOptions(readOnlyRoot: false))
        #expect(result.stdoutText == "x\n", "\(result.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/home/nonroot/made-in-container"))
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/etc/hosts"))
    }

    @Test("no network by default: only loopback exists")
    func noNetwork() async throws {
        let result = try await python("import socket; print([n for _, n in socket.if_nameindex()])")
        #expect(result.stdoutText == "['lo']\n")
        let resolve = try await python("import socket; print(socket.gethostbyname('localhost'))")
        #expect(resolve.stdoutText == "127.0.0.1\n", "a generated /etc/hosts names localhost")
    }

    @Test("--network host shares the host's interfaces and resolver configuration")
    func hostNetwork() async throws {
        let result = try await python(
            "import socket, os; print(len(socket.if_nameindex()) > 1, os.path.exists('/etc/resolv.conf'))",
            RunOptions(network: .host))
        let hostHasResolv = FileManager.default.fileExists(atPath: "/etc/resolv.conf")
        #expect(result.stdoutText == "True \(hostHasResolv ? "True" : "False")\n", "\(result.stderrText)")
    }

    @Test("env overrides replace image values and add new ones; PATH and HOME are set")
    func environment() async throws {
        let result = try await python(
            "import os; print(os.environ['SSL_CERT_FILE'], os.environ['EXTRA'], os.environ['HOME'], os.environ['PATH'])",
            RunOptions(env: ["SSL_CERT_FILE=/x.pem", "EXTRA=1"]))
        #expect(result.stdoutText == "/x.pem 1 /home/nonroot /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n")
    }

    @Test("--entrypoint replaces the entrypoint and clears Cmd; a bare name is found on PATH")
    func entrypointOverride() async throws {
        var image = PythonFixture.bookworm.image
        image.config?.cmd = ["-c", "print('from cmd')"]
        let fromCmd = try await runner.run(rootfs: rootfs, image: image)
        #expect(fromCmd.stdoutText == "from cmd\n")
        let replaced = try await runner.run(
            rootfs: rootfs, image: image, options: RunOptions(entrypoint: ["python3"], args: ["-c", "print('override')"]))
        #expect(replaced.stdoutText == "override\n", "\(replaced.stderrText)")
    }

    @Test("a missing executable is a start failure with docker's exit code 127")
    func missingExecutable() async throws {
        await #expect {
            try await runner.run(rootfs: rootfs, image: PythonFixture.bookworm.image, options: RunOptions(entrypoint: ["/usr/bin/nope"]))
        } throws: { error in
            guard let error = error as? RuntimeError, case .containerFailedToStart(let message) = error else { return false }
            return message.contains("/usr/bin/nope") && error.dockerStyleExitCode == 127
        }
    }

    @Test("an unknown user name is refused before anything runs")
    func unknownUser() async throws {
        await #expect(throws: RuntimeError.unknownUser("app", file: "/etc/passwd")) {
            try await runner.run(rootfs: rootfs, image: PythonFixture.bookworm.image, options: RunOptions(args: ["-V"], user: "app"))
        }
    }

    @Test("a timeout kills the container")
    func timeout() async throws {
        // Killed, not finished: the flag and SIGKILL's status say so (timings are not asserted).
        let result = try await python("import time; time.sleep(60)", RunOptions(timeout: .seconds(1)))
        #expect(result.timedOut)
        #expect(result.exitCode == 137)
    }

    @Test("cancelling the task kills the container and still cleans up")
    func cancellation() async throws {
        let runner = self.runner
        let rootfs = self.rootfs
        let task = Task {
            try await runner.run(
                rootfs: rootfs, image: PythonFixture.bookworm.image, options: RunOptions(args: ["-c", "import time; time.sleep(60)"]))
        }
        try await Task.sleep(for: .milliseconds(700))
        task.cancel()
        // A run that ignored cancellation would return the process's result instead of throwing.
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

extension RunTests {
    @Test("an image for another architecture fails with a message saying so")
    func foreignArchitecture() async throws {
        let libc = try DebianRootfsFixture.debs(["libc6_2.36-9+deb12u14_arm64"])
        let root = try DebianRootfsFixture.rootfs(name: "libc6-arm64", version: 1, debs: libc) { _ in }
        let image = ImageConfiguration(
            architecture: "arm64",
            config: ContainerConfig(entrypoint: ["/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1", "--version"]),
            rootfs: RootFS(diffIDs: []))
        await #expect(throws: RuntimeError.wrongPlatform(image: "linux/arm64", host: "linux/amd64")) {
            try await runner.run(rootfs: root.path, image: image)
        }
    }
}

extension RunTests {
    @Test("when runc itself cannot create the container, the error quotes runc's reason")
    func runcRefuses() async throws {
        // A state directory runc cannot create stands in for a sandbox that forbids containers.
        let refusing = ContainerRunner(runc: Runc(executable: runner.runc.executable, stateRoot: "/proc/distill-cannot-exist"))
        await #expect {
            try await refusing.run(rootfs: rootfs, image: PythonFixture.bookworm.image, options: RunOptions(args: ["-V"]))
        } throws: { error in
            guard case RuntimeError.machineDisallowsContainers(let message) = error else { return false }
            return "\(error)".hasPrefix("this machine does not allow containers: ") && message.contains("/proc/distill-cannot-exist")
        }
    }
}
