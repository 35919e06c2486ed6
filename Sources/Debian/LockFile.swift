import Foundation
import ImageFormat
import SystemSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a package set was resolved from; a lock is valid only for the same inputs.
///
/// The mirror URL is deliberately not part of it: the same suites on another mirror hold the same files.
public struct LockInputs: Codable, Equatable, Sendable {
    public var distro: String
    public var suites: [String]
    public var architectures: [String]
    /// The requested packages, as the build file lists them (preset packages included).
    public var packages: [String]
    public var excluded: [String]
    public var dataOnly: [String]

    public init(distro: String, suites: [String], architectures: [String], packages: [String], policy: ResolutionPolicy) {
        self.distro = distro
        self.suites = suites
        self.architectures = architectures
        self.packages = packages
        self.excluded = policy.excluded
        self.dataOnly = policy.dataOnly
    }

    /// The sha256 of the inputs' canonical JSON.
    public var fingerprint: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and arrays cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return Digest.sha256(of: data).encoded
    }
}

/// One package pinned by the lock.
public struct LockedPackage: Codable, Equatable, Sendable {
    public var name: String
    public var version: String
    public var architecture: String
    /// The suite it came from; the mirror URL is `<suite's mirror>/<filename>`.
    public var suite: String
    public var filename: String
    public var sha256: String
    public var size: Int64

    public init(name: String, version: String, architecture: String, suite: String, filename: String, sha256: String, size: Int64) {
        self.name = name
        self.version = version
        self.architecture = architecture
        self.suite = suite
        self.filename = filename
        self.sha256 = sha256
        self.size = size
    }

    public init(_ record: PackageRecord) {
        self.init(
            name: record.name, version: record.version.string, architecture: record.architecture, suite: record.suite,
            filename: record.filename, sha256: record.sha256, size: record.size)
    }

    /// What to fetch for this package.
    public var download: PackageDownload {
        PackageDownload(name: name, version: version, suite: suite, filename: filename, sha256: sha256, size: size)
    }
}

/// `distill.lock`: the exact package set per architecture, as sorted-key JSON (diff-friendly, line-ending agnostic).
public struct LockFile: Codable, Equatable, Sendable {
    public static let currentVersion = 1

    public var lockVersion: Int
    public var fingerprint: String
    public var inputs: LockInputs
    /// Architecture to its packages, sorted by name.
    public var packages: [String: [LockedPackage]]

    public init(inputs: LockInputs, packages: [String: [LockedPackage]]) {
        lockVersion = Self.currentVersion
        fingerprint = inputs.fingerprint
        self.inputs = inputs
        self.packages = packages.mapValues { $0.sorted { $0.name < $1.name } }
    }

    /// A lock for the resolutions of each architecture.
    public init(inputs: LockInputs, resolutions: [Resolution]) {
        var packages: [String: [LockedPackage]] = [:]
        for resolution in resolutions {
            packages[resolution.architecture] = resolution.packages.map { LockedPackage($0.record) }
        }
        self.init(inputs: inputs, packages: packages)
    }

    /// The downloads for `architecture`, sorted by name; nil if the lock has none for it.
    public func downloads(for architecture: String) -> [PackageDownload]? {
        packages[architecture]?.map(\.download)
    }

    /// Throws ``DebianError/lockMismatch(file:reason:)`` unless this lock was made for `current`.
    public func check(against current: LockInputs, file: String) throws(DebianError) {
        guard lockVersion == Self.currentVersion else {
            throw .lockMismatch(file: file, reason: "lock format \(lockVersion) (this distill writes \(Self.currentVersion))")
        }
        if inputs.packages != current.packages { throw .lockMismatch(file: file, reason: "a different package list") }
        if inputs.distro != current.distro { throw .lockMismatch(file: file, reason: "\(inputs.distro), not \(current.distro)") }
        if inputs.suites != current.suites {
            throw .lockMismatch(file: file, reason: "suites \(inputs.suites.joined(separator: ", ")), not \(current.suites.joined(separator: ", "))")
        }
        if inputs.excluded != current.excluded || inputs.dataOnly != current.dataOnly {
            throw .lockMismatch(file: file, reason: "a different exclusion list")
        }
        if let missing = current.architectures.first(where: { packages[$0] == nil }) {
            throw .lockMismatch(file: file, reason: "other architectures (it has no \(missing) packages)")
        }
        if fingerprint != current.fingerprint { throw .lockMismatch(file: file, reason: "different inputs") }
    }

    /// Reads a lock file; CRLF line ends and a byte-order mark are accepted.
    public static func read(from url: URL) throws(DebianError) -> LockFile {
        guard var data = FileManager.default.contents(atPath: url.path) else {
            throw .lockMalformed(file: url.path, reason: "cannot read the file")
        }
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        let lock: LockFile
        do {
            lock = try JSONDecoder().decode(LockFile.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .lockMalformed(file: url.path, reason: context.debugDescription)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .lockMalformed(file: url.path, reason: "'\(key.stringValue)' missing at \(Self.path(context))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .lockMalformed(file: url.path, reason: "wrong type at \(Self.path(context))")
        } catch {
            throw .lockMalformed(file: url.path, reason: "\(error)")
        }
        try lock.validate(file: url.path)
        return lock
    }

    /// Refuses values that would reach the file system or the network unchecked: every sha256 must be 64
    /// lowercase hex digits, every pool path relative with no `..`, every size non-negative.
    func validate(file: String) throws(DebianError) {
        for (architecture, list) in packages.sorted(by: { $0.key < $1.key }) {
            for package in list {
                let what = "\(file): package \(package.name) (\(architecture))"
                guard ContentCache.isSHA256(package.sha256) else { throw .invalidChecksum(what: what, value: package.sha256) }
                let parts = package.filename.split(separator: "/", omittingEmptySubsequences: false)
                guard !package.filename.isEmpty, !package.filename.hasPrefix("/"), !package.filename.contains("://"),
                      !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
                else {
                    throw .lockMalformed(file: file, reason: "package \(package.name) (\(architecture)): pool path '\(package.filename)' is not a plain relative path")
                }
                guard package.size >= 0 else {
                    throw .lockMalformed(file: file, reason: "package \(package.name) (\(architecture)): negative size")
                }
            }
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? "the top level" : path
    }

    /// The lock as written: pretty, sorted-key JSON with a final line break.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = (try? encoder.encode(self)) ?? Data()
        data.append(0x0A)
        return data
    }

    /// Writes the lock atomically: a temporary file beside it, then a rename.
    public func write(to url: URL) throws(DebianError) {
        do {
            try AtomicWrite.write(encoded(), to: url.path)
        } catch {
            throw .io(path: url.path, reason: "cannot write: \(error)")
        }
    }
}
