import Archive
import Debian
import Foundation

/// The build's view of Debian: the locked (or freshly resolved) package sets, verified .debs, their contents.
struct DebianPackages: Sendable {
    let build: BuildFile
    let repository: DebianRepository
    let lockPath: String
    let updateLock: Bool
    let log: @Sendable (String) -> Void

    init(build: BuildFile, options: BuildOptions, progress: DownloadProgressHandler?) throws {
        self.build = build
        let mirror = options.mirror ?? build.mirror
        let sources = DebianSources.standard(distro: build.distro, mirror: mirror, suites: build.suites)
        let cache = try ContentCache(root: URL(fileURLWithPath: options.cacheDirectory))
        // Valid-Until and Date are checked whatever the suites: naming suites must not let a replay in.
        let repositoryOptions = RepositoryOptions(offline: options.offline, validityDate: Date())
        repository = try DebianRepository(sources: sources, cache: cache, keyring: options.keyring, options: repositoryOptions, progress: progress)
        lockPath = build.lockPath
        updateLock = options.updateLock
        log = options.log
    }

    /// Packages the build file asks for: its preset's, then its own.
    var requested: [String] {
        var names = build.base.map { Preset.packages($0, distro: build.distro) } ?? []
        for name in build.packages where !names.contains(name) { names.append(name) }
        return names
    }

    /// Exclusions: distroless's defaults, plus the file's `exclude:`, less its `allow:` and what it names.
    var policy: ResolutionPolicy {
        var policy = ResolutionPolicy.distroless.allowing(build.allow + build.packages)
        policy.excluded += build.exclude
        return policy
    }

    var lockInputs: LockInputs {
        LockInputs(
            distro: build.distro.rawValue, suites: repository.sources.suites.map(\.name), architectures: build.archs,
            packages: requested, policy: policy)
    }

    /// The package set of each of `architectures` (among the build file's `archs`), from the lock file, or
    /// resolved and then locked.
    func packageSets(for architectures: [String]) async throws -> [String: [PackageDownload]] {
        let inputs = lockInputs
        let lockURL = URL(fileURLWithPath: lockPath)
        if !updateLock, FileManager.default.fileExists(atPath: lockPath) {
            let lock = try LockFile.read(from: lockURL)
            try lock.check(against: inputs, file: lockPath)
            var sets: [String: [PackageDownload]] = [:]
            for architecture in architectures {
                guard let downloads = lock.downloads(for: architecture) else {
                    throw DebianError.lockMismatch(file: lockPath, reason: "other architectures (it has no \(architecture) packages)")
                }
                sets[architecture] = downloads
            }
            return sets
        }
        var resolutions: [Resolution] = []
        for architecture in build.archs {
            let resolution = try await resolve(architecture)
            for skipped in resolution.skipped {
                log("\(architecture): left out \(skipped.package)'s \(skipped.field) \(skipped.dependency)")
            }
            resolutions.append(resolution)
        }
        let lock = LockFile(inputs: inputs, resolutions: resolutions)
        try lock.write(to: lockURL)
        log("wrote \(lockPath)")
        var sets: [String: [PackageDownload]] = [:]
        for architecture in architectures {
            guard let downloads = lock.downloads(for: architecture) else {
                throw BuildError.failed("--arch \(architecture) is not among the build file's archs (\(build.archs.joined(separator: ", ")))")
            }
            sets[architecture] = downloads
        }
        return sets
    }

    /// Resolves the requested packages for `architecture` from the verified indexes (cached when offline).
    func resolve(_ architecture: String) async throws -> Resolution {
        try await resolveWithIndex(architecture).resolution
    }

    /// The resolution and the index it was made from.
    func resolveWithIndex(_ architecture: String) async throws -> (resolution: Resolution, index: PackageIndex) {
        let index = try await repository.loadIndex(architecture: architecture)
        return (try Resolver(index: index, policy: policy).resolve(requested), index)
    }

    /// The suites read, for messages.
    var suiteNames: [String] { repository.sources.suites.map(\.name) }

    /// Cache paths of the verified .debs, in order.
    func fetch(_ downloads: [PackageDownload]) async throws -> [String] {
        try await repository.fetch(downloads).map(\.path)
    }

    /// The package's kept files staged below `staging`, and its status.d records; its control file must name
    /// the package and version the index (or lock) listed.
    func unpack(_ deb: String, download: PackageDownload, staging: String, memory: MemoryBudget) throws -> UnpackedPackage {
        let name = download.name
        let contents = try DebExtractor(memoryBudget: memory)
            .extract(deb: deb, name: name, into: URL(fileURLWithPath: staging), expected: (download.name, download.version))
        return UnpackedPackage(
            name: contents.package.isEmpty ? name : contents.package,
            entries: contents.entries.map { ($0.path, $0.node) },
            status: contents.statusEntries.map { ($0.path, $0.node) })
    }

    /// When the package was built: the time dpkg-deb stamped on its first member (`debian-binary`).
    static func buildDate(of deb: String) throws -> Int64 {
        let reader = try ArchiveReader(path: deb, format: .ar)
        guard let first = try reader.nextEntry() else { throw ArchiveError.missingMember(archive: deb, member: "debian-binary") }
        return first.modificationTime
    }
}
