import Archive
import Debian
import Foundation
import HTTP
import Python
import SystemSupport

/// The image's Python as wheels see it: Debian 12 ships CPython 3.11 on glibc 2.36, Debian 13 3.13 on 2.41.
struct PythonRuntime: Sendable {
    /// `3.11`.
    let version: String
    /// `3.11.2`, for `python_full_version` markers.
    let fullVersion: String
    let glibc: (Int, Int)

    init(_ distro: DebianDistro) {
        switch distro {
        case .debian12: (version, fullVersion, glibc) = ("3.11", "3.11.2", (2, 36))
        case .debian13: (version, fullVersion, glibc) = ("3.13", "3.13.5", (2, 41))
        }
    }

    /// Where wheels go and which interpreter their scripts name.
    var scheme: InstallScheme { .debian(pythonVersion: version) }
}

/// The build's view of Python: requirements, the index, resolution per architecture, verified wheels in the cache.
struct PythonPackages: Sendable {
    let roots: [RootRequirement]
    let preReleases: Bool
    /// `PIP_INDEX_URL`, else the build file's `index-url:`, else the requirements file's `--index-url`, else PyPI.
    let indexURL: String
    let runtime: PythonRuntime
    let cache: ContentCache
    let http: any HTTPClient
    let offline: Bool
    let progress: DownloadProgressHandler?

    init(build: BuildFile, settings: PythonSettings, options: BuildOptions, progress: DownloadProgressHandler?) throws {
        var roots: [RootRequirement] = []
        var fileIndex: String?
        var pre = settings.preReleases
        if let path = settings.requirements {
            let file = try RequirementsFile.load(path: path)
            roots = file.entries.map { RootRequirement($0.requirement, hashes: Set($0.hashes), origin: $0.origin) }
            fileIndex = file.indexURL
            pre = pre || file.preReleases
        } else {
            for (number, text) in settings.packages.enumerated() {
                let origin = "\(FilePaths.name(of: build.path)) python.packages[\(number)]"
                roots.append(RootRequirement(try Requirement(parsing: text, context: origin), origin: origin))
            }
        }
        self.roots = roots
        preReleases = pre
        indexURL = options.pythonIndexURL ?? settings.indexURL ?? fileIndex ?? PythonSettings.defaultIndexURL
        runtime = PythonRuntime(build.distro)
        cache = try ContentCache(root: URL(fileURLWithPath: options.cacheDirectory))
        http = options.http
        offline = options.offline
        self.progress = progress
    }

    var lockInputs: PythonLockInputs { PythonLockInputs(roots: roots, python: runtime.version, preReleases: preReleases) }

    /// The platform wheels are chosen for on `architecture`.
    func platform(_ architecture: String) throws -> PythonPlatform {
        guard let platform = PythonPlatform(pythonVersion: runtime.fullVersion, architecture: architecture, glibc: runtime.glibc) else {
            throw BuildError.pythonDependencies("python: wheels for \(architecture) are not supported (amd64 and arm64 are)")
        }
        return platform
    }

    /// The wheels of each architecture, resolved against the index (one page and metadata fetch shared by all).
    func resolve(_ architectures: [String]) async throws -> [String: [LockedWheel]] {
        if offline {
            throw PythonError.offlineMissing(file: "a lock with Python wheels (resolving needs the index at \(indexURL))")
        }
        let repository = SimpleRepository(indexURL: indexURL, http: http) { file throws(PythonError) in try await self.fetch(file) }
        var result: [String: [LockedWheel]] = [:]
        for architecture in architectures {
            let resolver = PythonResolver(finder: repository, platform: try platform(architecture), preReleases: preReleases)
            result[architecture] = try await resolver.resolve(roots).map(LockedWheel.init)
        }
        return result
    }

    /// Cache paths of the wheels, downloading the missing ones (six at once), each verified before it is kept.
    func fetch(_ wheels: [LockedWheel]) async throws -> [String] {
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var paths = [String](repeating: "", count: wheels.count)
            var next = 0
            func launch() {
                guard next < wheels.count else { return }
                let index = next
                next += 1
                group.addTask { (index, try await self.fetch(wheels[index].file)) }
            }
            for _ in 0..<6 { launch() }
            while let (index, path) = try await group.next() {
                paths[index] = path
                launch()
            }
            return paths
        }
    }

    /// The cache path of one file, downloaded and checked against the sha256 the index (or lock) gives first.
    func fetch(_ file: IndexFile) async throws(PythonError) -> String {
        guard let sha256 = file.sha256, ContentCache.isSHA256(sha256) else {
            throw .download(file: file.filename, reason: "the index gives no sha256 for it, so it cannot be verified")
        }
        if cache.contains(sha256: sha256) {
            progress?(.finished(name: file.filename, bytes: 0, cached: true))
            do {
                return try cache.path(sha256: sha256)
            } catch {
                throw .download(file: file.filename, reason: error.description)
            }
        }
        if offline { throw .offlineMissing(file: "\(file.filename) (sha256 \(sha256))") }
        let writer: CacheWriter
        do {
            writer = try cache.beginEntry(name: file.filename)
        } catch {
            throw .download(file: file.filename, reason: error.description)
        }
        progress?(.started(name: file.filename, expectedBytes: file.size))
        let progress = self.progress
        let name = file.filename
        do {
            try await http.get(file.url, into: writer.sink, limit: 4 << 30) { bytes in
                progress?(.progressed(name: name, bytes: bytes, expectedBytes: file.size))
            }
        } catch {
            writer.discard()
            throw .download(file: file.filename, reason: error.description)
        }
        do {
            let path = try writer.commit(expectedSHA256: sha256, expectedSize: nil)
            progress?(.finished(name: file.filename, bytes: writer.count, cached: false))
            return path
        } catch {
            if case .checksumMismatch(_, let expected, let actual) = error {
                throw .digestMismatch(file: file.filename, expected: expected, actual: actual, promisedBy: "the index (and the lock)")
            }
            throw .download(file: file.filename, reason: error.description)
        }
    }
}
