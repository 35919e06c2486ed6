/// How to run one container: what `distill run` flags map to.
public struct RunOptions: Sendable, Hashable {
    /// The container's network.
    public enum Network: String, Sendable, Hashable, CaseIterable {
        /// A private network namespace with only loopback (the default: nothing gets in or out).
        case none
        /// The host's network namespace (`--network host`).
        case host
    }

    /// Where the container's standard streams go.
    public enum IO: Sendable, Hashable {
        /// The container reads distill's stdin and writes to distill's stdout/stderr (`distill run`).
        case inherit
        /// stdin is empty; stdout and stderr are returned in the result (tests, healthchecks).
        case capture
    }

    /// Replaces the image's Entrypoint and clears its Cmd (Docker's `--entrypoint`); `[]` clears it.
    public var entrypoint: [String]?
    /// Replaces the image's Cmd (the arguments after `--`).
    public var args: [String]?
    /// `KEY=VALUE` entries added to or replacing the image's Env; a bare `KEY` copies distill's own value.
    public var env: [String]
    /// Replaces the image's User (`NAME`, `UID`, `NAME:GROUP`, `UID:GID`).
    public var user: String?
    /// Replaces the image's WorkingDir.
    public var workdir: String?
    public var network: Network
    /// Keeps the root filesystem read-only (default). When false the container gets a throw-away
    /// writable layer in memory; the image directory is never modified either way.
    public var readOnlyRoot: Bool
    public var io: IO
    /// Allocates a pseudo-terminal (only with `.inherit`); stdout and stderr are then merged.
    public var tty: Bool
    /// Kills the container after this long; the result says it timed out.
    public var timeout: Duration?
    /// Writable in-memory directories for a read-only root (`/tmp` by default, mode 1777).
    public var tmpfs: [String]
    /// The container's hostname.
    public var hostname: String
    /// At most this many processes and threads in the container (a fork bomb stops there); nil: no limit.
    public var pidsLimit: Int64?
    /// Memory limit in bytes (the container is OOM-killed past it); nil: no limit.
    public var memoryLimit: Int64?
    /// Size in bytes of each in-memory writable area: the tmpfs directories and the writable root layer.
    public var writableSize: Int64
    /// After SIGTERM or SIGINT reaches distill, how long the container has to exit before it is killed.
    public var stopTimeout: Duration
    /// Runs a minimal init (tini) as PID 1 that forwards signals to the program and reaps zombies.
    public var useInit: Bool

    /// podman's default pids limit.
    public static let defaultPidsLimit: Int64 = 2048
    /// 2 GiB: ample for a smoke test, and a runaway process cannot take the build machine down.
    public static let defaultMemoryLimit: Int64 = 2 << 30
    /// 512 MiB for each tmpfs.
    public static let defaultWritableSize: Int64 = 512 << 20
    /// `docker stop`'s grace period.
    public static let defaultStopTimeout: Duration = .seconds(10)

    public init(
        entrypoint: [String]? = nil, args: [String]? = nil, env: [String] = [], user: String? = nil,
        workdir: String? = nil, network: Network = .none, readOnlyRoot: Bool = true, io: IO = .capture,
        tty: Bool = false, timeout: Duration? = nil, tmpfs: [String] = ["/tmp"], hostname: String = "distill",
        pidsLimit: Int64? = RunOptions.defaultPidsLimit, memoryLimit: Int64? = RunOptions.defaultMemoryLimit,
        writableSize: Int64 = RunOptions.defaultWritableSize, stopTimeout: Duration = RunOptions.defaultStopTimeout,
        useInit: Bool = false
    ) {
        self.entrypoint = entrypoint
        self.args = args
        self.env = env
        self.user = user
        self.workdir = workdir
        self.network = network
        self.readOnlyRoot = readOnlyRoot
        self.io = io
        self.tty = tty
        self.timeout = timeout
        self.tmpfs = tmpfs
        self.hostname = hostname
        self.pidsLimit = pidsLimit
        self.memoryLimit = memoryLimit
        self.writableSize = writableSize
        self.stopTimeout = stopTimeout
        self.useInit = useInit
    }
}
