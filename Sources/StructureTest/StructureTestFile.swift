/// One container-structure-test file (schemaVersion 1.0.0 or 2.0.0), as distill understands it.
public struct StructureTestFile: Sendable, Hashable {
    /// Where the file was read from (for reports).
    public var path: String
    public var schemaVersion: String
    /// Environment added to every command test.
    public var globalEnvVars: [EnvVar]
    public var commandTests: [CommandTest]
    public var fileExistenceTests: [FileExistenceTest]
    public var fileContentTests: [FileContentTest]
    /// nil when the file has no `metadataTest`.
    public var metadataTest: MetadataTest?
    public var licenseTests: [LicenseTest]
    public var containerRunOptions: ContainerRunOptions

    public init(
        path: String, schemaVersion: String, globalEnvVars: [EnvVar] = [], commandTests: [CommandTest] = [],
        fileExistenceTests: [FileExistenceTest] = [], fileContentTests: [FileContentTest] = [],
        metadataTest: MetadataTest? = nil, licenseTests: [LicenseTest] = [],
        containerRunOptions: ContainerRunOptions = ContainerRunOptions()
    ) {
        self.path = path
        self.schemaVersion = schemaVersion
        self.globalEnvVars = globalEnvVars
        self.commandTests = commandTests
        self.fileExistenceTests = fileExistenceTests
        self.fileContentTests = fileContentTests
        self.metadataTest = metadataTest
        self.licenseTests = licenseTests
        self.containerRunOptions = containerRunOptions
    }

    /// The schema versions container-structure-test defines.
    public static let supportedVersions = ["1.0.0", "2.0.0"]

    /// A `{key, value, isRegex}` pair (env vars and labels).
    public struct EnvVar: Sendable, Hashable {
        public var key: String
        public var value: String
        public var isRegex: Bool

        public init(key: String, value: String, isRegex: Bool = false) {
            self.key = key
            self.value = value
            self.isRegex = isRegex
        }
    }

    /// Runs a command in a fresh container and checks its output and exit code.
    public struct CommandTest: Sendable, Hashable {
        public var name: String
        /// The argv: v1's `command` list, or v2's `command` string followed by `args`.
        public var command: [String]
        public var envVars: [EnvVar]
        public var setup: [[String]]
        public var teardown: [[String]]
        public var exitCode: Int32
        public var expectedOutput: [String]
        public var excludedOutput: [String]
        public var expectedError: [String]
        public var excludedError: [String]

        public init(
            name: String, command: [String], envVars: [EnvVar] = [], setup: [[String]] = [], teardown: [[String]] = [],
            exitCode: Int32 = 0, expectedOutput: [String] = [], excludedOutput: [String] = [],
            expectedError: [String] = [], excludedError: [String] = []
        ) {
            self.name = name
            self.command = command
            self.envVars = envVars
            self.setup = setup
            self.teardown = teardown
            self.exitCode = exitCode
            self.expectedOutput = expectedOutput
            self.excludedOutput = excludedOutput
            self.expectedError = expectedError
            self.excludedError = excludedError
        }
    }

    /// Checks that a path exists (or not) with the given mode, owner and executable bits.
    public struct FileExistenceTest: Sendable, Hashable {
        public var name: String
        public var path: String
        public var shouldExist: Bool
        /// Go's FileMode string, e.g. `-rw-r--r--`, `drwxr-xr-x`, `Lrwxrwxrwx`, `dtrwxrwxrwx`.
        public var permissions: String?
        public var uid: Int?
        public var gid: Int?
        /// `owner`, `group`, `other` or `any`.
        public var isExecutableBy: String?

        public init(
            name: String, path: String, shouldExist: Bool = true, permissions: String? = nil, uid: Int? = nil,
            gid: Int? = nil, isExecutableBy: String? = nil
        ) {
            self.name = name
            self.path = path
            self.shouldExist = shouldExist
            self.permissions = permissions
            self.uid = uid
            self.gid = gid
            self.isExecutableBy = isExecutableBy
        }
    }

    /// Checks a file's contents against regular expressions (matched anywhere in the whole file).
    public struct FileContentTest: Sendable, Hashable {
        public var name: String
        public var path: String
        public var expectedContents: [String]
        public var excludedContents: [String]

        public init(name: String, path: String, expectedContents: [String] = [], excludedContents: [String] = []) {
            self.name = name
            self.path = path
            self.expectedContents = expectedContents
            self.excludedContents = excludedContents
        }
    }

    /// Checks the image configuration.
    public struct MetadataTest: Sendable, Hashable {
        public var env: [EnvVar] = []
        public var unboundEnv: [EnvVar] = []
        public var labels: [EnvVar] = []
        public var exposedPorts: [String] = []
        public var unexposedPorts: [String] = []
        public var volumes: [String] = []
        public var unmountedVolumes: [String] = []
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var workdir: String?
        public var user: String?

        public init() {}
    }

    /// container-structure-test's license check (parsed so files load; distill reports it as skipped).
    public struct LicenseTest: Sendable, Hashable {
        public var debian: Bool
        public var files: [String]

        public init(debian: Bool = false, files: [String] = []) {
            self.debian = debian
            self.files = files
        }
    }

    /// v2's `containerRunOptions`: the user and host environment variables passed to command tests.
    public struct ContainerRunOptions: Sendable, Hashable {
        public var user: String?
        /// Names of distill's own environment variables copied into every command test.
        public var envVars: [String]

        public init(user: String? = nil, envVars: [String] = []) {
            self.user = user
            self.envVars = envVars
        }
    }
}
