import Foundation
import SystemSupport
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// What every suite times the same way: a command's wall time, the median of a few, the `distill` under test.
enum Measure {
    /// The release `distill` beside this benchmark binary, as a user runs it.
    static var distill: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("distill").path
    }

    /// Seconds `arguments` took to run to a zero exit (start-up included); `environment` is added to this process's.
    ///
    /// Timed from posix_spawn to the reaped exit on the monotonic clock, as hyperfine and `perf stat` time a
    /// command: Foundation's `Process` learns of the exit on a run loop that it polls every 50 ms, which added a
    /// share of that to every sample and so pulled every ratio toward 1. Output goes to a private file, shown
    /// only when the command fails.
    static func command(_ arguments: [String], environment: [String: String]? = nil, cwd: String? = nil) throws -> Double {
        guard let name = arguments.first else { throw FixtureError("Measure.command: no command given") }
        guard let executable = name.contains("/") ? name : ChildProcess.find(name) else {
            throw FixtureError("\(name): not found on PATH")
        }
        let scratch = try PrivateDirectory(prefix: "distill-bench-measure")
        defer { try? scratch.remove() }
        let outputPath = scratch.path + "/output"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let merged = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }
        // A working folder through env(1) (Glibc's Swift overlay does not export posix_spawn_file_actions_addchdir_np):
        // one more exec, well under a millisecond, only for the rows that need one (builds of a few seconds).
        let (program, argumentList) = cwd.map { ("/usr/bin/env", ["env", "-C", $0, executable] + arguments.dropFirst()) } ?? (executable, arguments)
        let argv = argumentList.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }

        var startTime = timespec()
        clock_gettime(CLOCK_MONOTONIC, &startTime)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard spawned == 0 else { throw FixtureError("\(executable): posix_spawn failed: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw FixtureError("waitpid for \(executable): \(String(cString: strerror(errno)))") }
        }
        var endTime = timespec()
        clock_gettime(CLOCK_MONOTONIC, &endTime)

        // Exited normally with 0: the low 7 bits (the signal) and the exit code byte are both zero.
        if status != 0 {
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw FixtureError("\(arguments.joined(separator: " ")) exited with wait status \(status): \(output.suffix(4000))")
        }
        return Double(endTime.tv_sec - startTime.tv_sec) + Double(endTime.tv_nsec - startTime.tv_nsec) / 1e9
    }

    /// The middle value (the upper one of an even count).
    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
