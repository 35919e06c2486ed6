import Foundation

/// What one container run produced.
public struct ContainerResult: Sendable, Hashable {
    /// The process's exit status; 128+N when killed by signal N (137 after a timeout).
    public var exitCode: Int32
    /// Captured standard output (empty with `.inherit`).
    public var stdout: Data
    /// Captured standard error (empty with `.inherit`).
    public var stderr: Data
    /// True when the run was killed because it exceeded `RunOptions.timeout`.
    public var timedOut: Bool
    /// Wall-clock time from start to exit.
    public var duration: Duration
    /// Set when the container ran but its bundle could not be fully removed afterwards.
    public var cleanupProblem: String?

    public init(
        exitCode: Int32, stdout: Data = Data(), stderr: Data = Data(), timedOut: Bool = false,
        duration: Duration = .zero, cleanupProblem: String? = nil
    ) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
        self.duration = duration
        self.cleanupProblem = cleanupProblem
    }

    /// Standard output as text (invalid UTF-8 replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as text (invalid UTF-8 replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
