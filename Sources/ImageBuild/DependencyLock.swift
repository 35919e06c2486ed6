import Debian
import Foundation
import Python

/// What each architecture gets: Debian packages and wheels, from the lock file or resolved and then locked.
struct DependencySets: Sendable {
    var debian: [String: [PackageDownload]]
    var wheels: [String: [LockedWheel]]
    var lock: BuildLock
    /// Resolved by this build (not read from the lock): packages for native libraries may then be added.
    var resolvedNow: Bool
}

/// Reads, checks and writes `distill.lock` for every kind of dependency, so the lock stays one file.
struct DependencyLock: Sendable {
    let build: BuildFile
    let debian: DebianPackages
    let python: PythonPackages?
    let updateLock: Bool
    let log: @Sendable (String) -> Void
    /// Pins `base: {image:}` and `copy_from:` images (nil: the build file names none).
    var images: ImageStore? = nil

    var lockPath: String { build.lockPath }

    /// The sets of `architectures` (among the build file's `archs`): the lock's, or resolved for every arch and locked.
    func sets(for architectures: [String]) async throws -> DependencySets {
        if !updateLock, FileManager.default.fileExists(atPath: lockPath) {
            let lock = try BuildLock.read(lockPath)
            try lock.debian.check(against: debian.lockInputs, file: lockPath)
            if let python {
                guard let locked = lock.python else {
                    throw PythonError.lockMismatch(file: lockPath, reason: "an image without Python wheels (the build file now has python:)")
                }
                try locked.check(against: python.lockInputs, architectures: architectures, file: lockPath)
            } else if lock.python != nil {
                throw PythonError.lockMismatch(file: lockPath, reason: "Python wheels (the build file has no python: now)")
            }
            try checkImages(lock, architectures: architectures)
            return prefetching(try select(architectures, from: lock, resolvedNow: false), in: architectures)
        }
        // Wheels first: a requirement that cannot be met fails before the (slower) Debian indexes are read.
        var pythonLock: PythonLock?
        if let python {
            let started = Date()
            let wheels = try await python.resolve(build.archs)
            pythonLock = PythonLock(inputs: python.lockInputs, wheels: wheels)
            for architecture in build.archs {
                let list = (wheels[architecture] ?? []).map { "\($0.name)==\($0.version)" }.joined(separator: " ")
                log("\(architecture): wheels \(list)" + String(format: " (resolved in %.2f s)", Date().timeIntervalSince(started)))
            }
        }
        // Every architecture's index is read and resolved at once, so their downloads and xz decoding overlap; the
        // release files first, so each is fetched and verified once.
        for suite in debian.repository.sources.suites { _ = try await debian.repository.release(of: suite) }
        let archs = build.archs
        let resolutions = try await withThrowingTaskGroup(of: (Int, Resolution).self) { [debian] group in
            for (index, architecture) in archs.enumerated() { group.addTask { (index, try await debian.resolve(architecture)) } }
            var results = [Resolution?](repeating: nil, count: archs.count)
            while let (index, resolution) = try await group.next() { results[index] = resolution }
            return results.compactMap { $0 }
        }
        for (architecture, resolution) in zip(archs, resolutions) {
            for skipped in resolution.skipped {
                log("\(architecture): left out \(skipped.package)'s \(skipped.field) \(skipped.dependency)")
            }
        }
        var lock = BuildLock(debian: LockFile(inputs: debian.lockInputs, resolutions: resolutions), python: pythonLock)
        if let images {
            if let base = build.baseImage { lock.baseImage = try await images.pin(base, architectures: build.archs) }
            for entry in build.copyFrom { lock.copyFrom.append(try await images.pin(entry.image, architectures: build.archs)) }
        }
        try lock.write(to: lockPath)
        log("wrote \(lockPath)")
        return prefetching(try select(architectures, from: lock, resolvedNow: true), in: architectures)
    }

    /// Starts downloading every architecture's .debs (in build order) in the background and returns `sets`: while one architecture's
    /// layers are built, the next one's packages arrive. The build's own fetch of a package joins its download in
    /// flight and reports any failure; the prefetch itself reports nothing.
    private func prefetching(_ sets: DependencySets, in architectures: [String]) -> DependencySets {
        let cache = debian.repository.cache
        // Only what is missing, so a warm build starts nothing (and reports nothing twice).
        let downloads = architectures.flatMap { sets.debian[$0] ?? [] }.filter { !cache.contains(sha256: $0.sha256) }
        guard !downloads.isEmpty, !debian.repository.options.offline else { return sets }
        Task { [debian] in _ = try? await debian.fetch(downloads) }
        return sets
    }

    /// The lock must pin the images the build file names now (the same references, in order, for every architecture).
    private func checkImages(_ lock: BuildLock, architectures: [String]) throws(BuildError) {
        func check(_ input: ImageInput?, _ locked: LockedImage?, what: String) throws(BuildError) {
            switch (input, locked) {
            case (nil, nil): return
            case (let input?, nil):
                throw .imageLock(file: lockPath, reference: input.text, reason: "it pins no \(what) (the build file now names one)")
            case (nil, let locked?):
                throw .imageLock(file: lockPath, reference: locked.reference, reason: "the build file no longer names this \(what)")
            case (let input?, let locked?):
                if input.text != locked.reference {
                    throw .imageLock(file: lockPath, reference: input.text, reason: "it pins \(locked.reference) as the \(what) instead")
                }
                if let missing = architectures.first(where: { locked.manifests[$0] == nil }) {
                    throw .imageLock(file: lockPath, reference: input.text, reason: "it pins no \(missing) manifest")
                }
            }
        }
        try check(build.baseImage, lock.baseImage, what: "base image")
        for index in 0..<max(build.copyFrom.count, lock.copyFrom.count) {
            try check(
                index < build.copyFrom.count ? build.copyFrom[index].image : nil, index < lock.copyFrom.count ? lock.copyFrom[index] : nil,
                what: "copy_from[\(index)] image")
        }
    }

    private func select(_ architectures: [String], from lock: BuildLock, resolvedNow: Bool) throws -> DependencySets {
        var sets = DependencySets(debian: [:], wheels: [:], lock: lock, resolvedNow: resolvedNow)
        for architecture in architectures {
            guard let downloads = lock.debian.downloads(for: architecture) else {
                throw DebianError.lockMismatch(file: lockPath, reason: "other architectures (it has no \(architecture) packages)")
            }
            sets.debian[architecture] = downloads
            sets.wheels[architecture] = lock.python?.wheels[architecture] ?? []
        }
        return sets
    }

    /// Adds the packages that ship native libraries on `architecture`: resolves that architecture again with them
    /// and rewrites the lock.
    func add(_ additions: [NativeAddition], architecture: String, to sets: inout DependencySets) async throws {
        var all = sets.lock.native[architecture] ?? []
        for addition in additions where !all.contains(addition) { all.append(addition) }
        var names: [String] = []
        for addition in all where !names.contains(addition.package) { names.append(addition.package) }
        let resolution = try await debian.resolve(architecture, adding: names)
        sets.lock.debian.packages[architecture] = resolution.packages.map { LockedPackage($0.record) }.sorted { $0.name < $1.name }
        sets.lock.native[architecture] = all
        sets.debian[architecture] = sets.lock.debian.downloads(for: architecture)
        try sets.lock.write(to: lockPath)
        for addition in additions {
            log("\(architecture): added \(addition.package) for \(addition.library) (needed by \(addition.file)); wrote \(lockPath)")
        }
    }
}
