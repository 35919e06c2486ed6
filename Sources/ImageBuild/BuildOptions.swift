import Archive
import Debian
import Foundation
import HTTP
import ImageFormat
import ImageTransport
import SystemSupport

/// How to run a build: outputs, architectures, lock and cache behaviour.
public struct BuildOptions: Sendable {
    /// Where to write the image; empty means `oci:build/<name>` plus `docker-archive:build/<name>.tar`.
    public var outputs: [ImageReference] = []
    /// Registry references the image is pushed to besides the outputs (`--push`); a multi-arch build goes as one index.
    public var pushes: [ImageReference] = []
    /// Overrides the build file's `archs:`.
    public var archs: [String]?
    /// Never open a network connection; use only the cache.
    public var offline = false
    /// Resolve the packages again and rewrite the lock file.
    public var updateLock = false
    /// The mtime of every file and the image's `created` (else the newest package's date).
    public var sourceDateEpoch: Int64?
    /// Registry repositories the OS and Python layers are looked up in before they are built (`--cache-from`).
    public var cacheFrom: [RegistryReference] = []
    /// The registry repository the build's OS and Python layers are sent to for other machines (`--cache-to`).
    public var cacheTo: RegistryReference?
    /// The content-addressed cache (`$XDG_CACHE_HOME/distill`).
    public var cacheDirectory: String
    /// Overrides the build file's `mirror:` (`DISTILL_MIRROR`).
    public var mirror: String?
    /// Overrides the build file's Python `index-url:` (`PIP_INDEX_URL`).
    public var pythonIndexURL: String?
    /// The HTTP client every download goes through (one connection pool).
    public var http: any HTTPClient = HTTPSession.shared
    /// Where default outputs go (`build/`).
    public var outputDirectory = "build"
    /// The keys release files must be signed with (the Debian archive keyring shipped with distill).
    public var keyring: Keyring = .debianArchive
    /// Overrides the build file's `compression:`.
    public var compression: LayerCompression?
    /// How gzip layers are deflated: zlib (the default) gives the same bytes on every machine; libdeflate
    /// is faster but its bytes depend on its version, so an image built with it may not reproduce elsewhere.
    public var gzipEngine: GzipEngine = .zlib
    /// Package indexes shared with other builds of the same command (variants); nil: each build reads its own.
    public var packageIndexes: PackageIndexCache?
    /// Progress and warnings, one line each.
    public var log: @Sendable (String) -> Void = { _ in }

    public init(cacheDirectory: String = BuildOptions.defaultCacheDirectory) {
        self.cacheDirectory = cacheDirectory
    }

    /// The compressions a build file or `--compression` may name (gzip is what every runtime reads; zstd is
    /// OCI-standard, smaller and faster, read by podman, containerd and Docker 23+).
    public static let compressionNames = ["gzip", "zstd"]

    /// The layer writer for a build file's layers, stamped with `epoch`.
    func layerWriter(for build: BuildFile, epoch: Int64) -> LayerWriter {
        LayerWriter(compression: compression ?? build.compression, modificationTime: epoch, gzipEngine: gzipEngine)
    }

    /// `SOURCE_DATE_EPOCH` from `environment` (unset or empty: nil); anything but a whole number of
    /// seconds is an error, as reproducible-builds.org asks, rather than silently ignored.
    public static func sourceDateEpoch(from environment: [String: String]) throws(BuildError) -> Int64? {
        guard let text = environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return nil }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = Int64(text) else {
            throw .invalidSourceDateEpoch("SOURCE_DATE_EPOCH='\(text)'", reason: "not a timestamp (a whole number of seconds since 1970); fix or unset it")
        }
        return value
    }

    /// `$XDG_CACHE_HOME/distill`, else `~/.cache/distill`.
    public static var defaultCacheDirectory: String {
        Environment.cacheDirectory()
    }
}
