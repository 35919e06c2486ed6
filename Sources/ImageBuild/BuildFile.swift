import Debian
import Foundation

/// A parsed `distill.yaml`: what to put in the image and how it runs.
public struct BuildFile: Sendable, Equatable {
    /// The image name (default: the build file's directory name).
    public var name: String
    public var base: Preset.Name?
    public var distro: DebianDistro
    /// Debian architecture names, e.g. `amd64`, `arm64`.
    public var archs: [String]
    /// Overrides the Debian mirror (the `mirror:` key); `DISTILL_MIRROR` wins over it.
    public var mirror: String?
    /// Explicit suites to read instead of the distro's defaults (e.g. only `bookworm` from a frozen mirror).
    public var suites: [String]?
    public var packages: [String]
    /// Packages never to install, on top of the default exclusions (shells, package managers, perl…).
    public var exclude: [String]
    /// Packages to allow even though they are excluded by default (e.g. `bash` when really wanted).
    public var allow: [String]
    public var app: [AppEntry]
    public var accounts: Accounts
    public var user: String
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var workdir: String?
    public var env: [String: String]
    public var expose: [String]
    public var healthcheck: Healthcheck?
    public var labels: [String: String]
    public var annotations: [String: String]
    /// The directory relative paths in the file are resolved against.
    public var directory: String
    /// The path of the build file, for messages.
    public var path: String

    /// Keys a build file may use at the top level.
    public static let keys = [
        "name", "base", "distro", "archs", "mirror", "suites", "packages", "exclude", "allow", "app", "accounts",
        "user", "entrypoint", "cmd", "workdir", "env", "expose", "healthcheck", "labels", "annotations", "python",
    ]
}

extension DebianDistro {
    /// The release's version number (`12`).
    public var versionNumber: String { self == .debian12 ? "12" : "13" }
}

/// Local files or folders copied into the image.
public struct AppEntry: Sendable, Equatable {
    /// Path on the build machine (relative to the build file).
    public var source: String
    /// Absolute path in the image; a folder source is copied to it, a file source becomes it.
    public var target: String
    /// Owner in the image, `uid[:gid]` (default: the image user's).
    public var uid: Int64?
    public var gid: Int64?
    /// Mode for files (directories keep 0755), e.g. `0755`; default: the source's own mode.
    public var mode: UInt32?

    public init(source: String, target: String, uid: Int64? = nil, gid: Int64? = nil, mode: UInt32? = nil) {
        self.source = source
        self.target = target
        self.uid = uid
        self.gid = gid
        self.mode = mode
    }
}

/// Users and groups beyond the preset's root, nobody and nonroot.
public struct Accounts: Sendable, Equatable {
    public struct User: Sendable, Equatable {
        public var name: String
        public var uid: Int64
        public var gid: Int64
        public var home: String
    }

    public struct Group: Sendable, Equatable {
        public var name: String
        public var gid: Int64
    }

    public var users: [User] = []
    public var groups: [Group] = []
}

/// The image's health check: a command run inside the container.
public struct Healthcheck: Sendable, Equatable {
    public var command: [String]
    public var intervalSeconds: Int?
    public var timeoutSeconds: Int?
    public var startPeriodSeconds: Int?
    public var retries: Int?
}
