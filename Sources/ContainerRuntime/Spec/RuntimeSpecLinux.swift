extension RuntimeSpec {
    /// Linux-specific configuration: namespaces, cgroups, devices, masked paths.
    public struct Linux: Codable, Hashable, Sendable {
        public var uidMappings: [IDMapping]?
        public var gidMappings: [IDMapping]?
        public var sysctl: [String: String]?
        public var resources: Resources?
        public var cgroupsPath: String?
        public var namespaces: [Namespace]?
        public var devices: [Device]?
        public var seccomp: Seccomp?
        public var rootfsPropagation: String?
        public var maskedPaths: [String]?
        public var readonlyPaths: [String]?
        public var mountLabel: String?

        public init(
            uidMappings: [IDMapping]? = nil, gidMappings: [IDMapping]? = nil, sysctl: [String: String]? = nil,
            resources: Resources? = nil, cgroupsPath: String? = nil, namespaces: [Namespace]? = nil,
            devices: [Device]? = nil, seccomp: Seccomp? = nil, rootfsPropagation: String? = nil,
            maskedPaths: [String]? = nil, readonlyPaths: [String]? = nil, mountLabel: String? = nil
        ) {
            self.uidMappings = uidMappings
            self.gidMappings = gidMappings
            self.sysctl = sysctl
            self.resources = resources
            self.cgroupsPath = cgroupsPath
            self.namespaces = namespaces
            self.devices = devices
            self.seccomp = seccomp
            self.rootfsPropagation = rootfsPropagation
            self.maskedPaths = maskedPaths
            self.readonlyPaths = readonlyPaths
            self.mountLabel = mountLabel
        }

        /// A namespace to create (no path) or join (path).
        public struct Namespace: Codable, Hashable, Sendable {
            public var type: String
            public var path: String?

            public init(type: String, path: String? = nil) {
                self.type = type
                self.path = path
            }
        }

        /// A user-namespace ID range mapping.
        public struct IDMapping: Codable, Hashable, Sendable {
            public var containerID: UInt32
            public var hostID: UInt32
            public var size: UInt32

            public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
                self.containerID = containerID
                self.hostID = hostID
                self.size = size
            }
        }

        /// A device node created in the container's /dev.
        public struct Device: Codable, Hashable, Sendable {
            public var type: String
            public var path: String
            public var major: Int64?
            public var minor: Int64?
            public var fileMode: UInt32?
            public var uid: UInt32?
            public var gid: UInt32?

            public init(
                type: String, path: String, major: Int64? = nil, minor: Int64? = nil, fileMode: UInt32? = nil,
                uid: UInt32? = nil, gid: UInt32? = nil
            ) {
                self.type = type
                self.path = path
                self.major = major
                self.minor = minor
                self.fileMode = fileMode
                self.uid = uid
                self.gid = gid
            }
        }

        /// cgroup limits.
        public struct Resources: Codable, Hashable, Sendable {
            public var devices: [DeviceRule]?
            public var memory: Memory?
            public var cpu: CPU?
            public var pids: Pids?

            public init(devices: [DeviceRule]? = nil, memory: Memory? = nil, cpu: CPU? = nil, pids: Pids? = nil) {
                self.devices = devices
                self.memory = memory
                self.cpu = cpu
                self.pids = pids
            }
        }

        /// A device cgroup allow/deny rule.
        public struct DeviceRule: Codable, Hashable, Sendable {
            public var allow: Bool
            public var type: String?
            public var major: Int64?
            public var minor: Int64?
            public var access: String?

            public init(allow: Bool, type: String? = nil, major: Int64? = nil, minor: Int64? = nil, access: String? = nil) {
                self.allow = allow
                self.type = type
                self.major = major
                self.minor = minor
                self.access = access
            }
        }

        /// Memory cgroup limits, in bytes.
        public struct Memory: Codable, Hashable, Sendable {
            public var limit: Int64?
            public var reservation: Int64?
            public var swap: Int64?
            public var swappiness: UInt64?
            public var disableOOMKiller: Bool?

            public init(
                limit: Int64? = nil, reservation: Int64? = nil, swap: Int64? = nil, swappiness: UInt64? = nil,
                disableOOMKiller: Bool? = nil
            ) {
                self.limit = limit
                self.reservation = reservation
                self.swap = swap
                self.swappiness = swappiness
                self.disableOOMKiller = disableOOMKiller
            }
        }

        /// CPU cgroup limits.
        public struct CPU: Codable, Hashable, Sendable {
            public var shares: UInt64?
            public var quota: Int64?
            public var period: UInt64?
            public var cpus: String?
            public var mems: String?

            public init(shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil, cpus: String? = nil, mems: String? = nil) {
                self.shares = shares
                self.quota = quota
                self.period = period
                self.cpus = cpus
                self.mems = mems
            }
        }

        /// Process-count cgroup limit.
        public struct Pids: Codable, Hashable, Sendable {
            public var limit: Int64

            public init(limit: Int64) {
                self.limit = limit
            }
        }

        /// A seccomp filter (distill sets none; modelled so foreign configs round-trip).
        public struct Seccomp: Codable, Hashable, Sendable {
            public var defaultAction: String
            public var defaultErrnoRet: UInt32?
            public var architectures: [String]?
            public var flags: [String]?
            public var syscalls: [Syscall]?

            public init(
                defaultAction: String, defaultErrnoRet: UInt32? = nil, architectures: [String]? = nil,
                flags: [String]? = nil, syscalls: [Syscall]? = nil
            ) {
                self.defaultAction = defaultAction
                self.defaultErrnoRet = defaultErrnoRet
                self.architectures = architectures
                self.flags = flags
                self.syscalls = syscalls
            }
        }

        /// One seccomp rule.
        public struct Syscall: Codable, Hashable, Sendable {
            public var names: [String]
            public var action: String
            public var errnoRet: UInt32?
            public var args: [SyscallArg]?

            public init(names: [String], action: String, errnoRet: UInt32? = nil, args: [SyscallArg]? = nil) {
                self.names = names
                self.action = action
                self.errnoRet = errnoRet
                self.args = args
            }
        }

        /// A seccomp argument condition.
        public struct SyscallArg: Codable, Hashable, Sendable {
            public var index: UInt
            public var value: UInt64
            public var valueTwo: UInt64?
            public var op: String

            public init(index: UInt, value: UInt64, valueTwo: UInt64? = nil, op: String) {
                self.index = index
                self.value = value
                self.valueTwo = valueTwo
                self.op = op
            }
        }
    }
}
