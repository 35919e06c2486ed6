/// The OCI image configuration: platform, runtime defaults and the layers' diffIDs.
public struct ImageConfiguration: Codable, Hashable, Sendable {
    public var created: String?
    public var author: String?
    public var architecture: String
    public var os: String
    public var osVersion: String?
    public var osFeatures: [String]?
    public var variant: String?
    public var config: ContainerConfig?
    public var rootfs: RootFS
    public var history: [History]?

    enum CodingKeys: String, CodingKey {
        case created, author, architecture, os, variant, config, rootfs, history
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(
        created: String? = nil, author: String? = nil, architecture: String, os: String = "linux",
        osVersion: String? = nil, osFeatures: [String]? = nil, variant: String? = nil,
        config: ContainerConfig? = nil, rootfs: RootFS, history: [History]? = nil
    ) {
        self.created = created
        self.author = author
        self.architecture = architecture
        self.os = os
        self.osVersion = osVersion
        self.osFeatures = osFeatures
        self.variant = variant
        self.config = config
        self.rootfs = rootfs
        self.history = history
    }

    /// The platform this configuration describes.
    public var platform: Platform {
        Platform(architecture: architecture, os: os, osVersion: osVersion, osFeatures: osFeatures, variant: variant)
    }
}

/// The layer list of an image configuration.
public struct RootFS: Codable, Hashable, Sendable {
    public var type: String
    public var diffIDs: [Digest]

    enum CodingKeys: String, CodingKey {
        case type
        case diffIDs = "diff_ids"
    }

    public init(type: String = "layers", diffIDs: [Digest]) {
        self.type = type
        self.diffIDs = diffIDs
    }
}

/// One entry of an image's build history.
public struct History: Codable, Hashable, Sendable {
    public var created: String?
    public var author: String?
    public var createdBy: String?
    public var comment: String?
    public var emptyLayer: Bool?

    enum CodingKeys: String, CodingKey {
        case created, author, comment
        case createdBy = "created_by"
        case emptyLayer = "empty_layer"
    }

    public init(
        created: String? = nil, author: String? = nil, createdBy: String? = nil, comment: String? = nil,
        emptyLayer: Bool? = nil
    ) {
        self.created = created
        self.author = author
        self.createdBy = createdBy
        self.comment = comment
        self.emptyLayer = emptyLayer
    }
}

/// An empty JSON object, the value type of `ExposedPorts` and `Volumes`.
public struct EmptyObject: Codable, Hashable, Sendable {
    public init() {}
}

/// Runtime defaults of an image (the `config` member of the image configuration).
public struct ContainerConfig: Codable, Hashable, Sendable {
    public var user: String?
    public var exposedPorts: [String: EmptyObject]?
    public var env: [String]?
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var volumes: [String: EmptyObject]?
    public var workingDir: String?
    public var labels: [String: String]?
    public var stopSignal: String?
    public var argsEscaped: Bool?
    /// Docker's extension; OCI runtimes ignore it, `docker run` and `distill run --healthcheck` use it.
    public var healthcheck: HealthConfig?
    public var onBuild: [String]?
    public var shell: [String]?

    enum CodingKeys: String, CodingKey {
        case user = "User"
        case exposedPorts = "ExposedPorts"
        case env = "Env"
        case entrypoint = "Entrypoint"
        case cmd = "Cmd"
        case volumes = "Volumes"
        case workingDir = "WorkingDir"
        case labels = "Labels"
        case stopSignal = "StopSignal"
        case argsEscaped = "ArgsEscaped"
        case healthcheck = "Healthcheck"
        case onBuild = "OnBuild"
        case shell = "Shell"
    }

    public init(
        user: String? = nil, exposedPorts: [String: EmptyObject]? = nil, env: [String]? = nil,
        entrypoint: [String]? = nil, cmd: [String]? = nil, volumes: [String: EmptyObject]? = nil,
        workingDir: String? = nil, labels: [String: String]? = nil, stopSignal: String? = nil,
        argsEscaped: Bool? = nil, healthcheck: HealthConfig? = nil, onBuild: [String]? = nil,
        shell: [String]? = nil
    ) {
        self.user = user
        self.exposedPorts = exposedPorts
        self.env = env
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.volumes = volumes
        self.workingDir = workingDir
        self.labels = labels
        self.stopSignal = stopSignal
        self.argsEscaped = argsEscaped
        self.healthcheck = healthcheck
        self.onBuild = onBuild
        self.shell = shell
    }
}

/// Docker's healthcheck: `Test` is `["CMD", arg…]`, `["CMD-SHELL", cmd]` or `["NONE"]`; durations in ns.
public struct HealthConfig: Codable, Hashable, Sendable {
    public var test: [String]?
    public var interval: Int64?
    public var timeout: Int64?
    public var startPeriod: Int64?
    public var startInterval: Int64?
    public var retries: Int?

    enum CodingKeys: String, CodingKey {
        case test = "Test"
        case interval = "Interval"
        case timeout = "Timeout"
        case startPeriod = "StartPeriod"
        case startInterval = "StartInterval"
        case retries = "Retries"
    }

    public init(
        test: [String]? = nil, interval: Int64? = nil, timeout: Int64? = nil, startPeriod: Int64? = nil,
        startInterval: Int64? = nil, retries: Int? = nil
    ) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.startInterval = startInterval
        self.retries = retries
    }
}
