import Archive
import Debian
import Foundation
import Synchronization

/// The build's view of Debian: resolution from verified indexes, verified .debs, their contents (the lock is ``DependencyLock``'s).
struct DebianPackages: Sendable {
    let build: BuildFile
    let repository: DebianRepository
    private let indexes: PackageIndexCache

    init(build: BuildFile, options: BuildOptions, progress: DownloadProgressHandler?) throws {
        self.build = build
        indexes = options.packageIndexes ?? PackageIndexCache()
        let mirror = options.mirror ?? build.mirror
        let sources = DebianSources.standard(distro: build.distro, mirror: mirror, suites: build.suites)
        let cache = try ContentCache(root: URL(fileURLWithPath: options.cacheDirectory))
        // Valid-Until and Date are checked whatever the suites: naming suites must not let a replay in.
        let repositoryOptions = RepositoryOptions(offline: options.offline, validityDate: Date())
        repository = try DebianRepository(
            sources: sources, cache: cache, keyring: options.keyring, options: repositoryOptions, progress: progress, http: options.http)
    }

    /// Packages the build file asks for: its preset's, then its own.
    var requested: [String] {
        var names = build.base.map { Preset.packages($0, distro: build.distro) } ?? []
        for name in build.packages + debugPackages where !names.contains(name) { names.append(name) }
        return names
    }

    /// busybox for a debug image, verified and locked like every other package.
    private var debugPackages: [String] { build.debug ? [DebugShell.package] : [] }

    /// Exclusions: distroless's defaults, plus the file's `exclude:`, less its `allow:` and what it names.
    var policy: ResolutionPolicy {
        var policy = ResolutionPolicy.distroless.allowing(build.allow + build.packages + debugPackages)
        policy.excluded += build.exclude
        return policy
    }

    var lockInputs: LockInputs {
        LockInputs(
            distro: build.distro.rawValue, suites: repository.sources.suites.map(\.name), architectures: build.archs,
            packages: requested, policy: policy)
    }

    /// Resolves the requested packages for `architecture` from the verified indexes (cached when offline), with
    /// `extra` packages (those that ship native libraries the app needs) requested too.
    func resolve(_ architecture: String, adding extra: [String] = []) async throws -> Resolution {
        try await resolveWithIndex(architecture, adding: extra).resolution
    }

    /// The resolution of the locked set: the same request resolved against only the locked versions, so its
    /// chains are the ones that put each package of the image there (not those of a fresh resolution).
    func resolveLocked(_ architecture: String, locked: [LockedPackage], adding extra: [String]) async throws -> (resolution: Resolution, index: PackageIndex) {
        let index = try await index(for: architecture)
        let pins = Set(locked.map { "\($0.name) \($0.version) \($0.architecture)" })
        let records = index.names.flatMap { index.versions(of: $0) }.filter { pins.contains("\($0.name) \($0.version.string) \($0.architecture)") }
        let lockedIndex = PackageIndex(architecture: architecture, records: records)
        let added = extra.filter { !requested.contains($0) }
        return (try Resolver(index: lockedIndex, policy: policy.allowing(added)).resolve(requested + added), index)
    }

    /// The resolution and the index it was made from.
    func resolveWithIndex(_ architecture: String, adding extra: [String] = []) async throws -> (resolution: Resolution, index: PackageIndex) {
        if requested.isEmpty && extra.isEmpty {
            // On a base image with no packages: nothing to resolve, so no index is read (or fetched).
            let empty = PackageIndex(architecture: architecture, records: [])
            return (try Resolver(index: empty, policy: policy).resolve([]), empty)
        }
        let index = try await index(for: architecture)
        let added = extra.filter { !requested.contains($0) }
        return (try Resolver(index: index, policy: policy.allowing(added)).resolve(requested + added), index)
    }

    /// The verified index for `architecture`, read once: packages for native libraries resolve a second time.
    private func index(for architecture: String) async throws -> PackageIndex {
        let key = PackageIndexCache.key(repository.sources, architecture: architecture)
        if let known = indexes[key] { return known }
        let index = try await repository.loadIndex(architecture: architecture)
        indexes[key] = index
        return index
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

/// Verified package indexes, read once and then shared: by one build (packages for native libraries resolve a
/// second time), or by the variants of one `distill build` that read the same suites (``BuildOptions/packageIndexes``).
public final class PackageIndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var indexes: [String: PackageIndex] = [:]

    public init() {}

    /// The mirror, suites, components and architecture: what decides an index's content.
    static func key(_ sources: DebianSources, architecture: String) -> String {
        (sources.suites.map { "\($0.mirror) \($0.name) \($0.components.joined(separator: ","))" } + [architecture]).joined(separator: "\n")
    }

    subscript(key: String) -> PackageIndex? {
        get { lock.withLock { indexes[key] } }
        set { lock.withLock { indexes[key] = newValue } }
    }
}
