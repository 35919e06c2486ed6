import Foundation
import Subprocess
import SystemPackage

/// Helper programs (gpgv, sqv, git, the benchmarks' peers) run through swift-subprocess: no shell, output
/// collected up to a bound, the status returned rather than thrown.
///
/// The one exception is runc under `distill run`, which keeps its own posix_spawn runner in
/// ContainerRuntime: it must reset the child's signal dispositions, share distill's terminal, and be
/// signalled by pid while distill waits (see `Subprocess` there).
public enum ChildProcess {
    /// What a finished helper left: its exit status (128+signal when killed), stdout and stderr.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: String

        /// stdout as UTF-8 text.
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `executable` (an absolute path) with `arguments`; `environment` entries are added to distill's own
    /// (LC_ALL=C unless given). `input` is written to its stdin (none: stdin is closed). stdout beyond
    /// `outputLimit` bytes is an error, never a silent cut.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil,
        input: Data? = nil, outputLimit: Int = 64 << 20
    ) async throws(SystemError) -> Output {
        var changes: [Subprocess.Environment.Key: String?] = ["LC_ALL": "C"]
        for (key, value) in environment { changes[Subprocess.Environment.Key(stringLiteral: key)] = value }
        let configuration = Configuration(
            executable: .path(FilePath(executable)), arguments: Arguments(arguments), environment: .inherit.updating(changes),
            workingDirectory: workingDirectory.map { FilePath($0) })
        do {
            if let input {
                return try await collect(configuration, input: .array([UInt8](input)), outputLimit: outputLimit)
            }
            return try await collect(configuration, input: .none, outputLimit: outputLimit)
        } catch {
            throw .spawn(executable: executable, reason: "\(error)")
        }
    }

    private static func collect<Input: InputProtocol>(_ configuration: Configuration, input: Input, outputLimit: Int) async throws -> Output {
        let result = try await Subprocess.run(
            configuration, input: input, output: .bytes(limit: outputLimit), error: .string(limit: 1 << 20))
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Output(status: status, stdout: Data(result.standardOutput), stderr: result.standardError ?? "")
    }

    /// The full path of `name` on PATH (or the usual system directories), if it is an executable.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
