import Foundation
import SystemSupport
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Private scratch directories")
struct PrivateDirectoryTests {
    @Test("mkdtemp makes a fresh 0700 directory owned by us, named after our pid, and removal takes it all")
    func privateAndRemoved() throws {
        let base = try TemporaryDirectory("private")
        let scratch = try PrivateDirectory(prefix: "distill-x", under: base.path)
        var info = stat()
        #expect(lstat(scratch.path, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o700)
        #expect(info.st_uid == geteuid())
        #expect(ProcessLiveness.ownerPID(of: (scratch.path as NSString).lastPathComponent, prefix: "distill-x-") == getpid())
        let sub = try scratch.makeSubdirectory("rootfs", mode: 0o755)
        #expect(FileManager.default.createFile(atPath: sub + "/f", contents: Data("x".utf8)))
        try scratch.remove()
        #expect(!FileManager.default.fileExists(atPath: scratch.path))
        try scratch.remove()  // twice is fine
    }

    @Test("two scratch folders of one process never share a name")
    func unpredictable() throws {
        let base = try TemporaryDirectory("private")
        let a = try PrivateDirectory(prefix: "p", under: base.path)
        let b = try PrivateDirectory(prefix: "p", under: base.path)
        #expect(a.path != b.path)
    }

    @Test("removal never follows a symlink out of the tree, wherever it points")
    func removalStaysInside() throws {
        let base = try TemporaryDirectory("private")
        let outside = try TemporaryDirectory("outside")
        let victim = outside("keep")
        #expect(FileManager.default.createFile(atPath: victim, contents: Data("precious".utf8)))
        let scratch = try PrivateDirectory(prefix: "p", under: base.path)
        let rootfs = try scratch.makeSubdirectory("rootfs")
        try FileManager.default.createSymbolicLink(atPath: rootfs + "/etc", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: rootfs + "/abs", withDestinationPath: victim)
        try scratch.remove()
        #expect(FileManager.default.contents(atPath: victim) == Data("precious".utf8))
        #expect(!FileManager.default.fileExists(atPath: scratch.path))
    }

    @Test("a directory another user made, or one open to others, is refused as scratch space")
    func refusesForeignDirectory() throws {
        let base = try TemporaryDirectory("private")
        let foreign = base("foreign")
        #expect(mkdir(foreign, 0o700) == 0)
        #expect(chown(foreign, 65534, 65534) == 0 || geteuid() != 0)
        let fd = open(foreign, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        if geteuid() == 0 {
            #expect(throws: SystemError.self) { try PrivateDirectory.requirePrivate(fd: fd, path: foreign) }
        }
        let open = base("open")
        #expect(mkdir(open, 0o700) == 0 && chmod(open, 0o755) == 0)
        let fd2 = Glibc.open(open, O_RDONLY | O_DIRECTORY)
        defer { close(fd2) }
        #expect { try PrivateDirectory.requirePrivate(fd: fd2, path: open) } throws: { error in
            "\(error)".contains("lets others in")
        }
    }

    @Test("a dead process's pid is gone; ours and a live child's are not")
    func liveness() throws {
        #expect(!ProcessLiveness.ownerIsGone("distill-run-\(getpid())-abc", prefix: "distill-run-"))
        #expect(!ProcessLiveness.isGone(1))
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        let pid = child.processIdentifier
        child.waitUntilExit()
        #expect(ProcessLiveness.ownerIsGone("distill-run-\(pid)-abc", prefix: "distill-run-"))
        #expect(ProcessLiveness.ownerPID(of: "distill-run-xyz", prefix: "distill-run-") == nil)
        #expect(ProcessLiveness.ownerPID(of: "other-\(pid)", prefix: "distill-run-") == nil)
    }
}

/// Ctrl-C during a build must not leave its staging folder: the helper runs in a child copy of this
/// test binary (it installs signal handling), the test interrupts it from outside.
@Suite("Interrupted runs clean up")
struct InterruptCleanupTests {
    static let helperVariable = "DISTILL_INTERRUPT_TEST_BASE"

    @Test("helper (runs only inside the child process)")
    func helper() async throws {
        guard let base = ProcessInfo.processInfo.environment[Self.helperVariable] else { return }
        InterruptCleanup.install()
        let scratch = try PrivateDirectory(prefix: "build", under: base)
        _ = try scratch.makeSubdirectory("blobs")
        FileHandle.standardOutput.write(Data("READY \(scratch.path)\n".utf8))
        try await Task.sleep(for: .seconds(60))
    }

    @Test("SIGINT removes every registered scratch folder, then the process dies of SIGINT", arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) async throws {
        let base = try TemporaryDirectory("interrupt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        process.arguments = ["--testing-library", "swift-testing", "--filter", "InterruptCleanupTests/helper"]
        process.environment = ProcessInfo.processInfo.environment.merging([Self.helperVariable: base.path]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var text = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while !text.contains("READY"), ContinuousClock.now < deadline, process.isRunning {
            text += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).count == 1, "\(text)")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).isEmpty)
    }
}
