import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `runc` binary and the state directory distill keeps its containers in.
public struct Runc: Sendable {
    /// Absolute path of the runc executable.
    public let executable: String
    /// runc's `--root`: distill's containers are kept apart from Docker's or anyone else's.
    public let stateRoot: String

    /// Where runc is looked for after PATH (Debian installs it in /usr/sbin, often not on a user's PATH).
    public static let fallbackDirectories = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"]

    /// Uses the given runc binary.
    public init(executable: String, stateRoot: String = "/run/distill/runc") {
        self.executable = executable
        self.stateRoot = stateRoot
    }

    /// Finds runc on PATH or in the sbin directories; `DISTILL_RUNC` names a binary explicitly.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        fallbackDirectories: [String] = Runc.fallbackDirectories
    ) throws -> Runc {
        if let explicit = environment["DISTILL_RUNC"], !explicit.isEmpty {
            guard access(explicit, X_OK) == 0 else { throw RuntimeError.runcNotFound(searched: [explicit]) }
            return Runc(executable: explicit)
        }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        var searched: [String] = []
        for directory in path + fallbackDirectories where !searched.contains(directory) {
            searched.append(directory)
            let candidate = directory + "/runc"
            if access(candidate, X_OK) == 0 { return Runc(executable: candidate) }
        }
        throw RuntimeError.runcNotFound(searched: searched)
    }

    /// A fresh container id: unique per process and call, valid for runc (`[A-Za-z0-9_.-]`).
    public static func makeContainerID() -> String {
        "distill-\(getpid())-\(UUID().uuidString.prefix(12).lowercased())"
    }

    /// Global flags: our state root and a JSON log so runc's own errors can be told from the container's.
    func globalArguments(logFile: String) -> [String] {
        [executable, "--root", stateRoot, "--log", logFile, "--log-format", "json"]
    }

    /// Starts `runc run` for a bundle; the caller waits, kills and deletes.
    func startRun(bundle: RuntimeBundle, id: String, io: Subprocess.IO) throws -> Subprocess {
        try Subprocess(
            executable: executable,
            arguments: globalArguments(logFile: bundle.directory + "/runc.log") + ["run", "--bundle", bundle.directory, id],
            io: io)
    }

    /// Starts `runc exec` of a process description in a running container.
    func startExec(bundle: RuntimeBundle, id: String, processFile: String) throws -> Subprocess {
        try Subprocess(
            executable: executable,
            arguments: globalArguments(logFile: bundle.directory + "/runc-exec.log") + ["exec", "--process", processFile, id],
            io: .capture)
    }

    /// Sends a signal to the container's first process; false if runc could not (e.g. not created yet).
    @discardableResult
    func kill(id: String, signal: String = "KILL") async -> Bool {
        guard let outcome = try? await Subprocess.run(executable, ["--root", stateRoot, "kill", id, signal]) else {
            return false
        }
        return outcome.exitCode == 0
    }

    /// The container's status (`created`, `running`, `stopped`), nil if runc does not know it.
    func state(id: String) async -> String? {
        guard let outcome = try? await Subprocess.run(executable, ["--root", stateRoot, "state", id]),
              outcome.exitCode == 0,
              let object = try? JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any]
        else { return nil }
        return object["status"] as? String
    }

    /// Removes the container whatever its state (kills it if it still runs); quiet if already gone.
    func delete(id: String) async {
        // A just-killed container's cgroup can still be emptying, and delete then fails with EBUSY:
        // try again briefly until runc no longer knows the container.
        for attempt in 0..<10 {
            _ = try? await Subprocess.run(executable, ["--root", stateRoot, "delete", "--force", id])
            guard let state = try? await Subprocess.run(executable, ["--root", stateRoot, "state", id]), state.exitCode == 0 else {
                return
            }
            try? await Task.sleep(for: .milliseconds(50 * (attempt + 1)))
        }
    }

    /// The error runc logged, if it failed itself (rather than the container's process exiting non-zero).
    static func loggedError(logFile: String) -> String? {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return nil }
        var message: String?
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let level = object["level"] as? String, level == "error" || level == "fatal",
                  let msg = object["msg"] as? String
            else { continue }
            message = msg
        }
        return message
    }

    /// Sorts a runc failure into "the machine forbids it" or "this process cannot start".
    static func classify(_ message: String) -> RuntimeError {
        let startProblems = [
            "exec:", "exec format error", "chdir to cwd", "executable file not found", "unable to find user",
            "unable to find group", "no such file or directory\"", "setenv",
        ]
        let text = message.replacingOccurrences(of: "runc run failed: ", with: "")
            .replacingOccurrences(of: "runc exec failed: ", with: "")
        if message.contains("unable to start container process") && startProblems.contains(where: message.contains) {
            return .containerFailedToStart(runcMessage: text)
        }
        return .machineDisallowsContainers(runcMessage: text)
    }
}
