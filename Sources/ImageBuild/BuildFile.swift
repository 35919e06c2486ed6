import Archive
import Debian
import ImageFormat
import Foundation
import SystemSupport

/// A parsed `distill.yaml`: what to put in the image and how it runs.
public struct BuildFile: Sendable, Equatable {
    /// The image name (default: the build file's directory name).
    public var name: String
    /// The preset (`base: cc`); nil with `base: {image: REF}` or no `base:`.
    public var base: Preset.Name?
    /// The image built on (`base: {image: REF}`): its layers go first, byte for byte, and its config is merged.
    public var baseImage: ImageInput? = nil
    /// Paths copied out of other images into the app layer (`copy_from:`).
    public var copyFrom: [CopyFromEntry] = []
    /// The runtime keys the build file writes (`user`, `workdir`, `entrypoint`, `cmd`): on a base image, the
    /// base's own values stand for the others.
    public var written: Set<String> = []
    public var distro: DebianDistro
    /// Debian architecture names, e.g. `amd64`, `arm64`.
    public var archs: [String]
    /// Whether `archs:` was written (else it is the build machine's architecture).
    public var archsListed: Bool = false
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
    public var healthcheck: HealthcheckSpec?
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Wheels to install (the `python:` key).
    public var python: PythonSettings? = nil
    /// How layers are compressed (`compression: gzip|zstd`); `--compression` overrides it.
    public var compression: LayerCompression = .gzip
    /// A debug image: busybox's shell and tools under `/busybox` (on `PATH`), like distroless's `:debug` images.
    public var debug = false
    /// The images `distill build` makes from this file instead of one (the `variants:` key).
    public var variants: [Variant] = []
    /// The variant this build file stands for, once ``applying(_:)`` made it (it names the lock file).
    public var variant: String? = nil
    /// The directory relative paths in the file are resolved against.
    public var directory: String
    /// The path of the build file, for messages.
    public var path: String

    /// The lock file beside the build file, named after it: `cc3.yaml` → `cc3.lock`, `distill.yaml` → `distill.lock`.
    public var lockPath: String {
        let name = FilePaths.name(of: path)
        var stem = Substring(name)
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { stem = name[..<dot] }
        // Each variant resolves its own packages (another distro, another Python), so each has its own lock.
        return directory + "/" + stem + (variant.map { ".\($0)" } ?? "") + ".lock"
    }

    /// Keys a build file may use at the top level.
    public static let keys = [
        "name", "base", "distro", "archs", "mirror", "suites", "packages", "exclude", "allow", "app", "accounts",
        "user", "entrypoint", "cmd", "workdir", "env", "expose", "healthcheck", "labels", "annotations", "python",
        "compression", "debug", "variants", "copy_from",
    ]
}

extension DebianDistro {
    /// The release's version number (`12`).
    public var versionNumber: String { self == .debian12 ? "12" : "13" }
}

/// A line and column of the build file, for messages about a value that is checked after parsing.
public struct SourceLocation: Sendable, Equatable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// Local files or folders copied into the image.
public struct AppEntry: Sendable, Equatable {
    /// Path on the build machine (relative to the build file).
    public var source: String
    /// Absolute path in the image. A folder source's contents are copied into it; a file source becomes
    /// it, or goes into it when it ends in `/` (as a Dockerfile's COPY).
    public var target: String
    /// Owner in the image, `uid[:gid]` (default: the image user's).
    public var uid: Int64?
    public var gid: Int64?
    /// Mode for files (folders are 0755), e.g. `0755`; default: 0755 if the source has any execute bit,
    /// else 0644, so that a checkout gives the same image whatever the umask it was made with.
    public var mode: UInt32?
    /// Where `source:` is written in the build file.
    public var location: SourceLocation?
    /// Names or relative paths left out of a folder source (glob patterns), on top of ``defaultExclude``.
    public var exclude: [String]

    /// Left out of every folder source: version-control data and Python's byte-code caches.
    public static let defaultExclude = [".git", "__pycache__"]

    public init(
        source: String, target: String, uid: Int64? = nil, gid: Int64? = nil, mode: UInt32? = nil, location: SourceLocation? = nil,
        exclude: [String] = []
    ) {
        self.source = source
        self.target = target
        self.uid = uid
        self.gid = gid
        self.mode = mode
        self.location = location
        self.exclude = exclude
    }

    /// The source for `architecture`: `{arch}` in it replaced (`dist/{arch}/server` → `dist/arm64/server`).
    public func source(for architecture: String) -> String {
        source.replacingOccurrences(of: "{arch}", with: architecture)
    }

    /// Entries are the same whatever line they were written on.
    public static func == (lhs: AppEntry, rhs: AppEntry) -> Bool {
        lhs.source == rhs.source && lhs.target == rhs.target && lhs.uid == rhs.uid && lhs.gid == rhs.gid && lhs.mode == rhs.mode
            && lhs.exclude == rhs.exclude
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
public struct HealthcheckSpec: Sendable, Equatable {
    public var command: [String]
    public var intervalSeconds: Int?
    public var timeoutSeconds: Int?
    public var startPeriodSeconds: Int?
    public var retries: Int?
}
