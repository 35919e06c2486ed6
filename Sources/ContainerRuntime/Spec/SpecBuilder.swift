import ImageFormat

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Builds the `config.json` distill runs every container with: the image's process, a read-only
/// root, no new privileges, a minimal capability set, private namespaces and the standard mounts.
public enum SpecBuilder {
    /// Podman's default capabilities: Docker's without NET_RAW, MKNOD and AUDIT_WRITE.
    public static let defaultCapabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
        "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
    ]

    /// Kernel interfaces hidden from the container (as runc's and Docker's defaults).
    public static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    /// Where `--init` puts tini in the container: /dev is the container's own tmpfs, so the image is untouched.
    public static let initPath = "/dev/init"

    /// Kernel interfaces the container may read but not write.
    public static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// What the bundle provides besides the image.
    public struct Environment: Sendable {
        /// Path runc uses as the container's root.
        public var rootPath: String
        /// A generated /etc/hosts (localhost) to bind when the image has none, as Docker always does.
        public var hostsFile: String?
        /// The host's resolver configuration, bound for `--network host` when the image has none.
        public var hostResolvConf: String?
        /// cgroup path for the container (runc creates and removes it).
        public var cgroupsPath: String?
        /// A static init binary (tini) bound at ``SpecBuilder/initPath`` for `--init`.
        public var initBinary: String?

        public init(
            rootPath: String, hostsFile: String? = nil, hostResolvConf: String? = nil, cgroupsPath: String? = nil,
            initBinary: String? = nil
        ) {
            self.rootPath = rootPath
            self.hostsFile = hostsFile
            self.hostResolvConf = hostResolvConf
            self.cgroupsPath = cgroupsPath
            self.initBinary = initBinary
        }
    }

    /// The process of a container started from `config` with `options`, resolved against `rootfs`.
    public static func process(config: ContainerConfig?, options: RunOptions, rootfs: RootFilesystem) throws
        -> RuntimeSpec.Process
    {
        let user = try ProcessResolution.user(config: config, options: options, users: UserDatabase(rootfs: rootfs))
        var env = try ProcessResolution.environment(config: config, overrides: options.env, home: user.home)
        let tty = options.tty && options.io == .inherit
        if tty && !env.contains(where: { $0.hasPrefix("TERM=") }) { env.append("TERM=xterm") }
        // Docker gives non-root users no effective or permitted capabilities, only the bounding set:
        // `User: nonroot` must not quietly keep DAC_OVERRIDE and friends.
        let isRoot = user.uid == 0
        let capabilities = RuntimeSpec.Capabilities(
            bounding: defaultCapabilities,
            effective: isRoot ? defaultCapabilities : [],
            inheritable: [],
            permitted: isRoot ? defaultCapabilities : [],
            ambient: [])
        return RuntimeSpec.Process(
            terminal: tty,
            user: RuntimeSpec.User(
                uid: user.uid, gid: user.gid, additionalGids: user.additionalGids.isEmpty ? nil : user.additionalGids),
            args: (options.useInit ? [initPath, "--"] : []) + (try ProcessResolution.arguments(config: config, options: options)),
            env: env,
            cwd: try ProcessResolution.workingDirectory(config: config, options: options),
            capabilities: capabilities,
            rlimits: [openFilesLimit()],
            noNewPrivileges: true)
    }

    /// The container gets distill's own open-files limit: runc cannot raise it past the hard limit
    /// distill runs under (seen here: 20000, where Docker's usual 1048576 fails with EPERM).
    static func openFilesLimit() -> RuntimeSpec.Rlimit {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            return RuntimeSpec.Rlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)
        }
        return RuntimeSpec.Rlimit(type: "RLIMIT_NOFILE", hard: UInt64(limit.rlim_max), soft: UInt64(limit.rlim_cur))
    }

    /// The complete configuration for one container.
    public static func spec(
        config: ContainerConfig?, options: RunOptions, rootfs: RootFilesystem, environment: Environment
    ) throws -> RuntimeSpec {
        var mounts = standardMounts()
        for directory in options.tmpfs {
            guard directory.hasPrefix("/") else { throw RuntimeError.invalidWorkingDirectory(directory) }
            mounts.append(.init(destination: directory, type: "tmpfs", source: "tmpfs",
                                options: ["nosuid", "nodev", "mode=1777", "size=\(options.writableSize)"]))
        }
        if let initBinary = environment.initBinary {
            mounts.append(.init(destination: initPath, type: "bind", source: initBinary, options: ["bind", "ro", "nosuid", "nodev"]))
        }
        if let hosts = environment.hostsFile, !rootfs.exists("/etc/hosts") {
            mounts.append(.init(destination: "/etc/hosts", type: "bind", source: hosts, options: ["rbind", "ro"]))
        }
        if options.network == .host, let resolv = environment.hostResolvConf, !rootfs.exists("/etc/resolv.conf") {
            mounts.append(.init(destination: "/etc/resolv.conf", type: "bind", source: resolv, options: ["rbind", "ro"]))
        }

        var namespaces = ["pid", "ipc", "uts", "mount"].map { RuntimeSpec.Linux.Namespace(type: $0) }
        if options.network == .none { namespaces.append(.init(type: "network")) }

        return RuntimeSpec(
            process: try process(config: config, options: options, rootfs: rootfs),
            root: RuntimeSpec.Root(path: environment.rootPath, readonly: options.readOnlyRoot),
            // The hostname belongs to the UTS namespace; with the host's network we still keep our own UTS.
            hostname: options.hostname,
            mounts: mounts,
            linux: RuntimeSpec.Linux(
                resources: .init(
                    devices: [.init(allow: false, access: "rwm")],
                    memory: options.memoryLimit.map { .init(limit: $0) },
                    pids: options.pidsLimit.map { .init(limit: $0) }),
                cgroupsPath: environment.cgroupsPath,
                namespaces: namespaces,
                seccomp: DefaultSeccompProfile.seccomp,
                maskedPaths: maskedPaths,
                readonlyPaths: readonlyPaths))
    }

    /// /proc, a tmpfs /dev with pts, shm and mqueue, read-only /sys and its cgroups.
    static func standardMounts() -> [RuntimeSpec.Mount] {
        [
            .init(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            .init(destination: "/dev", type: "tmpfs", source: "tmpfs",
                  options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            .init(destination: "/dev/pts", type: "devpts", source: "devpts",
                  options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            .init(destination: "/dev/shm", type: "tmpfs", source: "shm",
                  options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            .init(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            .init(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
            .init(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                  options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
        ]
    }
}
