import ContainerRuntime
import Foundation
import Testing
import TestSupport

/// `distill run` passes the container's stdio through and stays alive through SIGTERM to clean up.
/// That touches the process's own file descriptors and signal handlers, so the container runs in a
/// child copy of this test binary (the helper test below) and this test watches it from outside.
@Suite("distill run: inherited stdio and signals")
struct InheritedIOTests {
    static let helperVariable = "DISTILL_RUNTIME_TEST_HELPER"

    /// Does nothing in a normal run; in the child it runs a container with inherited stdio.
    @Test("helper (runs only inside the child process)")
    func helper() async throws {
        guard let mode = ProcessInfo.processInfo.environment[Self.helperVariable] else { return }
        let code = switch mode {
        case "term":
            "import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *_: (print('got TERM', flush=True), sys.exit(143)))\nprint('READY', flush=True)\ntime.sleep(60)"
        case "ignore-term", "init-term":
            // PID 1 without a handler ignores SIGTERM: only the grace period's SIGKILL, or an init, ends it.
            "import time\nprint('READY', flush=True)\ntime.sleep(120)"
        case "tty":
            "import os; print('TTY', os.isatty(0), os.isatty(1), os.environ.get('TERM'))"
        default:
            "import sys; print('OUT-MARKER'); print('ERR-MARKER', file=sys.stderr); sys.exit(7)"
        }
        let result = try await ContainerRunner().run(
            rootfs: try PythonFixture.bookworm.rootfs(), image: PythonFixture.bookworm.image,
            options: RunOptions(
                args: ["-c", code], io: .inherit, tty: mode == "tty", stopTimeout: .seconds(2), useInit: mode == "init-term"))
        print("HELPER-EXIT \(result.exitCode) cleanup=\(result.cleanupProblem ?? "ok")")
        #expect(result.stdout.isEmpty)
    }

    /// Starts this test binary running only the helper, in `mode`.
    func startHelper(mode: String) throws -> (Process, Pipe, Pipe) {
        _ = try PythonFixture.bookworm.rootfs()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        process.arguments = ["--testing-library", "swift-testing", "--filter", "InheritedIOTests/helper"]
        process.environment = ProcessInfo.processInfo.environment.merging([Self.helperVariable: mode]) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @Test("the container writes straight to distill's stdout and stderr; its exit code comes back")
    func passthrough() throws {
        let (process, out, err) = try startHelper(mode: "plain")
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(stdout.contains("OUT-MARKER\n"), "\(stdout)")
        #expect(stderr.contains("ERR-MARKER\n"), "\(stderr)")
        #expect(stdout.contains("HELPER-EXIT 7 cleanup=ok"), "\(stdout)")
        #expect(process.terminationStatus == 0, "\(stdout)\n\(stderr)")
    }

    @Test("SIGTERM to distill reaches the container; distill survives it and cleans up")
    func sigterm() async throws {
        let (process, out, _) = try startHelper(mode: "term")
        let (collected, deadline) = try await waitForReady(out)
        #expect(collected.text.contains("READY"))
        _ = deadline
        kill(process.processIdentifier, SIGTERM)
        // A bound that only catches a hang (a loaded machine can be slow; timings are not asserted).
        let bound = ContinuousClock.now + .seconds(90)
        while process.isRunning, ContinuousClock.now < bound {
            try await Task.sleep(for: .milliseconds(50))
        }
        out.fileHandleForReading.readabilityHandler = nil
        try #require(!process.isRunning, "distill did not end after SIGTERM: \(collected.text)")
        collected.append(out.fileHandleForReading.readDataToEndOfFile())
        #expect(collected.text.contains("got TERM"), "\(collected.text)")
        #expect(collected.text.contains("HELPER-EXIT 143 cleanup=ok"), "\(collected.text)")
        #expect(process.terminationStatus == 0)
    }
}

extension InheritedIOTests {
    @Test("a container that ignores SIGTERM is killed when the grace period ends; with --init, tini passes SIGTERM on",
          arguments: [("ignore-term", 137), ("init-term", 143)])
    func stopTimeout(mode: String, expected: Int) async throws {
        let (process, out, _) = try startHelper(mode: mode)
        let (collected, _) = try await waitForReady(out)
        #expect(collected.text.contains("READY"), "\(collected.text)")
        kill(process.processIdentifier, SIGTERM)
        // Without the grace period the container sleeps for 120 s; this bound only catches a hang.
        let bound = ContinuousClock.now + .seconds(90)
        while process.isRunning, ContinuousClock.now < bound {
            try await Task.sleep(for: .milliseconds(50))
        }
        out.fileHandleForReading.readabilityHandler = nil
        #expect(!process.isRunning, "distill did not stop the container")
        if process.isRunning { process.terminate() }
        collected.append(out.fileHandleForReading.readDataToEndOfFile())
        #expect(collected.text.contains("HELPER-EXIT \(expected) cleanup=ok"), "\(collected.text)")
    }

    @Test("with a terminal, the container gets a pseudo-terminal of its own")
    func tty() throws {
        _ = try PythonFixture.bookworm.rootfs()
        // `script` gives the child a terminal, as an interactive `distill run -t` would have.
        let binary = ProcessInfo.processInfo.arguments[0]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "'\(binary)' --testing-library swift-testing --filter InheritedIOTests/helper", "/dev/null"]
        process.environment = ProcessInfo.processInfo.environment.merging([Self.helperVariable: "tty"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.contains("TTY True True xterm"), "\(output)")
        #expect(output.contains("HELPER-EXIT 0 cleanup=ok"), "\(output)")
    }

    @Test("a distill killed mid-run leaves a container and mounts that the next run removes")
    func abandoned() async throws {
        let (process, out, _) = try startHelper(mode: "term")
        let (collected, deadline) = try await waitForReady(out)
        out.fileHandleForReading.readabilityHandler = nil
        #expect(collected.text.contains("READY"))
        let pid = process.processIdentifier
        kill(pid, SIGKILL)
        // Foundation reaps the child late (it also waits for the pipes runc still holds), so only
        // wait for the kill to land; the sweep treats a zombie as dead.
        while let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              !stat.contains(") Z"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }

        let temporary = FileManager.default.temporaryDirectory.path
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("distill-bundle-\(pid)-") }
        }
        func mounted() throws -> Bool {
            try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8).contains("/distill-bundle-\(pid)-")
        }
        // The container was running (READY) when its distill died, so it left a bundle and a mount. Another
        // test in this process may start its first container now and sweep them first; either sweep proves
        // the point, so only the end state is asserted.
        let runner = try ContainerRunner()
        // The orphaned `runc run` may still be tearing its container down; the sweep must get there, so
        // sweep again a few times before judging (under a loaded machine teardown takes a while).
        var listing = ""
        for _ in 0..<5 {
            await runner.removeAbandoned()
            listing = try Tool.check([runner.runc.executable, "--root", runner.runc.stateRoot, "list"])
            if !listing.contains("distill-\(pid)-"), try leftovers().isEmpty, try !mounted() { break }
            try await Task.sleep(for: .seconds(1))
        }
        #expect(try leftovers().isEmpty)
        #expect(try !mounted())
        #expect(!listing.contains("distill-\(pid)-"), "runc still lists:\n\(listing)")
    }
}

/// Thread-safe accumulation of a child's output.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.withLock { data.append(chunk) }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

extension InheritedIOTests {
    /// Collects the helper's stdout until it prints READY (its container is running), for at most 90 s.
    fileprivate func waitForReady(_ out: Pipe) async throws -> (OutputCollector, ContinuousClock.Instant) {
        let collected = OutputCollector()
        out.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        let deadline = ContinuousClock.now + .seconds(90)
        while !collected.text.contains("READY"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return (collected, deadline)
    }
}
