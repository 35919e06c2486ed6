import Foundation
import ImageFormat

/// The image's Docker-style healthcheck, resolved to a command and Docker's timing defaults.
public struct Healthcheck: Sendable, Hashable {
    /// The argv run inside the container.
    public var command: [String]
    /// How long one check may take (Docker's default 30 s).
    public var timeout: Duration
    /// Failures during this period after start do not count (default 0).
    public var startPeriod: Duration
    /// Consecutive failures that make the container unhealthy (default 3).
    public var retries: Int
    /// Docker's time between checks (default 30 s); distill waits at most 1 s between its tries.
    public var interval: Duration

    /// Reads `config.Healthcheck`: nil when it is `["NONE"]` (disabled); throws when absent or malformed,
    /// or when it is `CMD-SHELL` and the image has no /bin/sh (a distroless image has no shell).
    public init?(config: ContainerConfig?, rootfs: RootFilesystem) throws {
        guard let health = config?.healthcheck, let test = health.test, let kind = test.first else {
            throw RuntimeError.noHealthcheck
        }
        switch kind {
        case "NONE":
            return nil
        case "CMD":
            guard test.count > 1 else { throw RuntimeError.invalidHealthcheck(test) }
            command = Array(test.dropFirst())
        case "CMD-SHELL":
            guard test.count == 2 else { throw RuntimeError.invalidHealthcheck(test) }
            guard rootfs.exists("/bin/sh") else { throw RuntimeError.healthcheckNeedsShell(command: test[1]) }
            command = ["/bin/sh", "-c", test[1]]
        default:
            throw RuntimeError.invalidHealthcheck(test)
        }
        func duration(_ nanoseconds: Int64?, _ fallback: Duration) -> Duration {
            guard let nanoseconds, nanoseconds > 0 else { return fallback }
            return .nanoseconds(nanoseconds)
        }
        timeout = duration(health.timeout, .seconds(30))
        startPeriod = duration(health.startPeriod, .zero)
        interval = duration(health.interval, .seconds(30))
        retries = (health.retries ?? 0) > 0 ? health.retries! : 3
    }

    /// The pause between two tries: Docker's interval, but never more than a second, since a
    /// one-shot check should not sit idle for half a minute.
    public var pause: Duration { min(interval, .seconds(1)) }
}

/// The verdict of running a healthcheck.
public struct HealthcheckResult: Sendable, Hashable, CustomStringConvertible {
    /// `healthy`, `unhealthy`, or `disabled` (`Test: ["NONE"]`).
    public enum Status: String, Sendable, Hashable {
        case healthy, unhealthy, disabled
    }

    /// One execution of the check command.
    public struct Attempt: Sendable, Hashable {
        public var exitCode: Int32
        public var output: String
        public var timedOut: Bool
    }

    public var status: Status
    public var attempts: [Attempt]
    /// Why the status is what it is, in one sentence.
    public var reason: String
    /// What the container's own process printed (stdout then stderr), when it ran alongside.
    public var containerOutput: String

    public var description: String {
        var text = "healthcheck: \(status.rawValue) — \(reason)"
        if let last = attempts.last, !last.output.isEmpty {
            text += "\nlast check output:\n" + excerpt(last.output)
        }
        if status == .unhealthy, !containerOutput.isEmpty {
            text += "\ncontainer output:\n" + excerpt(containerOutput)
        }
        return text
    }
}

/// Keeps at most the last `limit` characters of a container's output, marking the cut.
public func excerpt(_ text: String, limit: Int = 2000) -> String {
    guard text.count > limit else { return text }
    return "…" + String(text.suffix(limit))
}
