import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A child process started with posix_spawn, with its stdout/stderr passed through or captured.
///
/// Foundation's `Process` is avoided on purpose: distill needs the child's signal dispositions reset
/// (it ignores SIGINT itself while a foreground container runs), close-on-exec pipes so concurrent
/// spawns never leak each other's descriptors, and a pid it can signal while waiting asynchronously.
final class Subprocess: @unchecked Sendable {
    /// How the child's standard streams are wired.
    enum IO: Sendable {
        /// stdin, stdout and stderr are distill's own (for `distill run`).
        case inherit
        /// stdin is /dev/null; stdout and stderr are collected (tests, healthchecks).
        case capture
    }

    /// What the child left behind.
    struct Outcome: Sendable {
        /// The exit status, or 128+signal when the child was killed by a signal (as shells report it).
        var exitCode: Int32
        var stdout: Data
        var stderr: Data
    }

    let pid: pid_t
    private let exitLock = NSLock()
    private var exited = false
    private let exitStatus = AsyncValue<Int32>()
    private let stdoutReader: AsyncValue<Data>?
    private let stderrReader: AsyncValue<Data>?

    /// Starts `executable` with `arguments` (argv[0] is the executable).
    init(executable: String, arguments: [String], io: IO) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        // Reset every signal to its default and unblock all, whatever distill itself ignores or blocks.
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment: [UnsafeMutablePointer<CChar>?] =
            ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }

        // pipe2(O_CLOEXEC) is not visible from Swift's Glibc, so the pipe is made close-on-exec right
        // after creation; the lock keeps another of our spawns from inheriting it in between.
        var child: pid_t = 0
        let status: Int32 = try Subprocess.spawnLock.withLock {
            if case .capture = io {
                guard Subprocess.makePipe(&outPipe) else { throw RuntimeError.processFailed(what: "pipe", errno: errno) }
                guard Subprocess.makePipe(&errPipe) else {
                    let code = errno
                    close(outPipe[0]); close(outPipe[1])
                    throw RuntimeError.processFailed(what: "pipe", errno: code)
                }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
                posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            }
            return posix_spawn(&child, executable, &actions, &attributes, argv, &environment)
        }
        if case .capture = io {
            close(outPipe[1])
            close(errPipe[1])
        }
        guard status == 0 else {
            if case .capture = io {
                close(outPipe[0])
                close(errPipe[0])
            }
            throw RuntimeError.processFailed(what: "starting \(executable)", errno: status)
        }
        pid = child
        if case .capture = io {
            stdoutReader = Subprocess.drain(outPipe[0])
            stderrReader = Subprocess.drain(errPipe[0])
        } else {
            stdoutReader = nil
            stderrReader = nil
        }
        startReaper()
    }

    private static let spawnLock = NSLock()

    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// Whether the child has exited and been reaped (only once `wait()` is in progress).
    var hasExited: Bool { exitLock.withLock { exited } }

    /// Sends `signal` to the child, unless it has already been reaped (its pid may be reused).
    func send(_ signal: Int32) {
        exitLock.withLock {
            if !exited { kill(pid, signal) }
        }
    }

    /// Waits for the child to exit and for its captured output to reach end-of-file (any number of times).
    func wait() async -> Outcome {
        let code = await exitStatus.value()
        let out = await stdoutReader?.value() ?? Data()
        let err = await stderrReader?.value() ?? Data()
        return Outcome(exitCode: code, stdout: out, stderr: err)
    }

    /// Reaps the child on a dedicated thread as soon as it exits.
    private func startReaper() {
        let pid = self.pid
        Thread.detachNewThread { [self] in
            // Wait without reaping first, then reap under the lock: `send` can never hit a reused pid.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
            var status: Int32 = 0
            exitLock.withLock {
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                exited = true
            }
            exitStatus.resolve(Subprocess.exitCode(fromWaitStatus: status))
        }
    }

    /// Decodes a waitpid status the way a shell reports it.
    static func exitCode(fromWaitStatus status: Int32) -> Int32 {
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }
        return 128 + signal
    }

    /// Runs a short helper to completion and returns its outcome (always captured).
    static func run(_ executable: String, _ arguments: [String]) async throws -> Outcome {
        let process = try Subprocess(executable: executable, arguments: [executable] + arguments, io: .capture)
        return await process.wait()
    }
}

extension Subprocess {
    /// Reads a pipe to end-of-file on its own thread, so a chatty child never blocks on a full pipe.
    fileprivate static func drain(_ fd: Int32) -> AsyncValue<Data> {
        let result = AsyncValue<Data>()
        Thread.detachNewThread {
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    data.append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            close(fd)
            result.resolve(data)
        }
        return result
    }
}

/// The text of an errno value, e.g. "No such file or directory (errno 2)".
func errnoText(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
