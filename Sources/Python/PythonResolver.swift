/// Where the resolver gets a project's files and a file's metadata: ``SimpleRepository``, or a test double.
public protocol PackageFinder: Sendable {
    /// Every file the index lists for `project`; `requiredBy` names who asked, for a missing project's message.
    func files(of project: ProjectName, requiredBy: String) async throws(PythonError) -> [IndexFile]
    /// The core metadata of `file`.
    func metadata(of file: IndexFile, project: ProjectName) async throws(PythonError) -> CoreMetadata
    /// A hint that these projects will be asked for soon, so their pages can be fetched in parallel.
    func prefetch(_ projects: [ProjectName]) async
}

extension PackageFinder {
    public func prefetch(_ projects: [ProjectName]) async {}
}

/// A requirement the user wrote (requirements file or `packages:`), with where and the hashes it allows.
public struct RootRequirement: Sendable, Hashable {
    public var requirement: Requirement
    /// Allowed sha256 digests; empty: any.
    public var hashes: Set<String>
    /// `requirements.txt:3`, `distill.yaml packages[0]`.
    public var origin: String

    public init(_ requirement: Requirement, hashes: Set<String> = [], origin: String) {
        self.requirement = requirement
        self.hashes = hashes
        self.origin = origin
    }
}

/// One chosen distribution: its version and the wheel that fits the platform.
public struct ResolvedPackage: Sendable, Hashable {
    public var name: ProjectName
    public var version: PEP440Version
    public var file: IndexFile
    /// Every digest the file must match besides the index's: the requirements file's `--hash` values.
    public var hashes: Set<String>
    /// The chain that brought it in: `requirements.txt:1 → flask 3.1.1`.
    public var requiredBy: String
}

/// Picks, for one platform, the newest version of every required project that satisfies all requirements on it
/// and has a wheel that installs there, backtracking to older versions on a conflict (as pip's resolver does).
public struct PythonResolver: Sendable {
    public let finder: any PackageFinder
    public let platform: PythonPlatform
    /// `--pre`: pre-releases may be chosen even when no requirement names one.
    public var preReleases: Bool
    /// Versions tried before giving up.
    public var maxTries: Int

    public init(finder: any PackageFinder, platform: PythonPlatform, preReleases: Bool = false, maxTries: Int = 5000) {
        self.finder = finder
        self.platform = platform
        self.preReleases = preReleases
        self.maxTries = maxTries
    }

    /// The packages to install, sorted by name; a root whose marker is false for the platform is left out.
    public func resolve(_ roots: [RootRequirement]) async throws(PythonError) -> [ResolvedPackage] {
        var search = ResolverSearch(resolver: self)
        var state = ResolverState()
        for root in roots where root.requirement.marker.map({ $0.evaluate(platform.markerEnvironment) }) ?? true {
            let constraint = ResolverState.Constraint(requirement: root.requirement, chain: [root.origin], hashes: root.hashes)
            if let conflict = search.add(constraint, to: &state) { throw conflict }
        }
        await finder.prefetch(state.order)
        guard let solved = try await search.solve(state) else {
            throw search.firstFailure ?? .tooComplex(tried: search.tries)
        }
        return solved.order.compactMap { name -> ResolvedPackage? in
            guard let pin = solved.pins[name] else { return nil }
            let hashes = Set(solved.constraints[name, default: []].flatMap(\.hashes))
            return ResolvedPackage(
                name: name, version: pin.version, file: pin.file, hashes: hashes,
                requiredBy: solved.constraints[name]?.first?.chain.joined(separator: " → ") ?? "")
        }.sorted { $0.name < $1.name }
    }
}

/// What the search has decided so far; a value, so backtracking is dropping a copy.
struct ResolverState {
    struct Constraint {
        var requirement: Requirement
        /// Who asked: the root's origin, then each `project version` on the way.
        var chain: [String]
        var hashes: Set<String>

        var text: String { "\(requirement.name)\(requirement.specifier.isEmpty ? " (any version)" : requirement.specifier.description) from \(chain.joined(separator: " → "))" }
    }

    struct Pin {
        var version: PEP440Version
        var file: IndexFile
        var metadata: CoreMetadata
        /// Extras whose dependencies were added, and whether the plain dependencies were.
        var extras: Set<String> = []
        var baseAdded = false
    }

    var constraints: [ProjectName: [Constraint]] = [:]
    /// Projects in the order they were first required: the order decisions are made in.
    var order: [ProjectName] = []
    var pins: [ProjectName: Pin] = [:]
}

/// The depth-first search with backtracking; counts tries and keeps the first failure for the message.
struct ResolverSearch {
    let resolver: PythonResolver
    var tries = 0
    var firstFailure: PythonError?
    private var candidateCache: [String: [Candidate]] = [:]

    struct Candidate {
        var version: PEP440Version
        var file: IndexFile
    }

    init(resolver: PythonResolver) { self.resolver = resolver }

    var environment: MarkerEnvironment { resolver.platform.markerEnvironment }

    mutating func solve(_ state: ResolverState) async throws(PythonError) -> ResolverState? {
        guard let next = state.order.first(where: { state.pins[$0] == nil }) else { return state }
        let constraints = state.constraints[next, default: []]
        let candidates = try await self.candidates(next, constraints)
        for candidate in candidates {
            tries += 1
            if tries > resolver.maxTries { throw .tooComplex(tried: tries - 1) }
            let metadata = try await resolver.finder.metadata(of: candidate.file, project: next)
            if let python = metadata.requiresPython, !python.contains(resolver.platform.pythonVersion, preReleases: true) {
                let chain = constraints.first?.chain.joined(separator: " → ") ?? ""
                record(.conflict(
                    project: next.normalized, constraints: ["\(next) \(candidate.version) (from \(chain)) needs Python \(python), the image has \(resolver.platform.fullVersion)"],
                    available: []))
                continue
            }
            var attempt = state
            attempt.pins[next] = ResolverState.Pin(version: candidate.version, file: candidate.file, metadata: metadata)
            let before = attempt.order.count
            if let conflict = addDependencies(of: next, extras: Set(constraints.flatMap(\.requirement.extras)), to: &attempt) {
                record(conflict)
                continue
            }
            await resolver.finder.prefetch(Array(attempt.order[before...]))
            if let solved = try await solve(attempt) { return solved }
        }
        return nil
    }

    private mutating func record(_ failure: PythonError) {
        if firstFailure == nil { firstFailure = failure }
    }

    /// Adds a requirement on a project; a pinned project must already satisfy it. Returns the conflict, if any.
    mutating func add(_ constraint: ResolverState.Constraint, to state: inout ResolverState) -> PythonError? {
        let name = constraint.requirement.name
        state.constraints[name, default: []].append(constraint)
        if !state.order.contains(name) { state.order.append(name) }
        guard let pin = state.pins[name] else { return nil }
        let hashMismatch = !constraint.hashes.isEmpty && !(pin.file.sha256.map(constraint.hashes.contains) ?? false)
        if !constraint.requirement.specifier.contains(pin.version, preReleases: true) || hashMismatch {
            let chosen = "\(name) \(pin.version) was chosen for \(state.constraints[name]?.first?.chain.joined(separator: " → ") ?? "")"
            return .conflict(project: name.normalized, constraints: [chosen, constraint.text], available: [])
        }
        let newExtras = Set(constraint.requirement.extras).subtracting(pin.extras)
        return newExtras.isEmpty ? nil : addDependencies(of: name, extras: newExtras, to: &state)
    }

    /// Adds the dependencies of a pinned project (the plain ones the first time, then those of new extras).
    mutating func addDependencies(of name: ProjectName, extras: Set<String>, to state: inout ResolverState) -> PythonError? {
        guard var pin = state.pins[name] else { return nil }
        let first = !pin.baseAdded
        let newExtras = extras.subtracting(pin.extras)
        pin.baseAdded = true
        pin.extras.formUnion(newExtras)
        state.pins[name] = pin
        let chain = (state.constraints[name]?.first?.chain ?? []) + ["\(name) \(pin.version)"]
        for requirement in pin.metadata.requiresDist {
            let applies: Bool
            if let marker = requirement.marker {
                let plain = first && marker.evaluate(environment)
                applies = plain || (marker.mentionsExtra && newExtras.sorted().contains { marker.evaluate(environment, extra: $0) })
            } else {
                applies = first
            }
            guard applies, requirement.url == nil else { continue }
            if let conflict = add(ResolverState.Constraint(requirement: requirement, chain: chain, hashes: []), to: &state) {
                return conflict
            }
        }
        return nil
    }

    /// The versions allowed by every constraint, newest first, each with its best wheel for the platform.
    mutating func candidates(_ name: ProjectName, _ constraints: [ResolverState.Constraint]) async throws(PythonError) -> [Candidate] {
        let specifier = constraints.reduce(SpecifierSet()) { $0.intersection($1.requirement.specifier) }
        let hashSets = constraints.map(\.hashes).filter { !$0.isEmpty }
        let key = name.normalized + "|" + specifier.description + "|" + hashSets.map { $0.sorted().joined(separator: ",") }.joined(separator: ";")
        if let cached = candidateCache[key] {
            if cached.isEmpty { record(await emptyFailure(name, constraints, specifier)) }
            return cached
        }
        let files = try await resolver.finder.files(of: name, requiredBy: constraints.first?.chain.joined(separator: " → ") ?? "")
        let byVersion = Self.group(files, project: name)
        let versions = byVersion.keys.sorted(by: >)
        var allowPre = resolver.preReleases || specifier.mentionsPreRelease
        var matching = versions.filter { specifier.contains($0, preReleases: allowPre) }
        // As pip: pre-releases are considered when no final release fits.
        if matching.isEmpty && !allowPre {
            allowPre = true
            matching = versions.filter { specifier.contains($0, preReleases: true) }
        }
        var result: [Candidate] = []
        for version in matching {
            if let file = bestWheel(byVersion[version] ?? [], version: version, specifier: specifier, hashSets: hashSets) {
                result.append(Candidate(version: version, file: file))
            }
        }
        candidateCache[key] = result
        if result.isEmpty { record(await emptyFailure(name, constraints, specifier)) }
        return result
    }

    /// Why there is no candidate: the newest matching version has no wheel here, or nothing matches at all.
    private func emptyFailure(_ name: ProjectName, _ constraints: [ResolverState.Constraint], _ specifier: SpecifierSet) async -> PythonError {
        let requiredBy = constraints.first?.chain.joined(separator: " → ") ?? ""
        let files = (try? await resolver.finder.files(of: name, requiredBy: requiredBy)) ?? []
        let byVersion = Self.group(files, project: name)
        let versions = byVersion.keys.sorted(by: >)
        let hashSets = constraints.map(\.hashes).filter { !$0.isEmpty }
        if !hashSets.isEmpty, let newest = versions.first(where: { specifier.contains($0, preReleases: true) }),
            bestWheel(byVersion[newest] ?? [], version: newest, specifier: specifier, hashSets: []) != nil
        {
            return .hashNotListed(project: name.normalized, hashes: hashSets.flatMap { $0 }.sorted(), requiredBy: requiredBy)
        }
        if let newest = versions.first(where: { specifier.contains($0, preReleases: true) }) {
            return .noWheel(
                project: name.normalized, version: newest.string, platform: resolver.platform.description,
                files: (byVersion[newest] ?? []).map(\.filename), requiredBy: requiredBy)
        }
        let usable = versions.filter { version in (byVersion[version] ?? []).contains { file in
            file.isWheel && (try? WheelFilename(file.filename)).flatMap(resolver.platform.rank) != nil } }
        return .conflict(project: name.normalized, constraints: constraints.map(\.text), available: usable.map(\.string))
    }

    /// The best-ranked wheel of one version: not yanked (unless pinned), for this Python, with a digest the hashes allow.
    private func bestWheel(_ files: [IndexFile], version: PEP440Version, specifier: SpecifierSet, hashSets: [Set<String>]) -> IndexFile? {
        var best: (rank: Int, file: IndexFile)?
        for file in files where file.isWheel {
            guard let sha256 = file.sha256 else { continue }
            if file.isYanked && !specifier.pinned(version) { continue }
            if !hashSets.allSatisfy({ $0.contains(sha256) }) { continue }
            if let requires = file.requiresPython, let set = try? SpecifierSet(requires),
                !set.contains(resolver.platform.pythonVersion, preReleases: true)
            {
                continue
            }
            guard let wheel = try? WheelFilename(file.filename), let rank = resolver.platform.rank(wheel) else { continue }
            if let current = best, !(rank < current.rank || (rank == current.rank && file.filename < current.file.filename)) { continue }
            best = (rank, file)
        }
        return best?.file
    }

    /// Files by version: wheels by their name, source distributions by theirs (for messages); others are ignored.
    static func group(_ files: [IndexFile], project: ProjectName) -> [PEP440Version: [IndexFile]] {
        var result: [PEP440Version: [IndexFile]] = [:]
        for file in files {
            if file.isWheel {
                guard let wheel = try? WheelFilename(file.filename), wheel.name == project else { continue }
                result[wheel.version, default: []].append(file)
            } else if let version = WheelFilename.sourceDistributionVersion(file.filename, project: project) {
                result[version, default: []].append(file)
            }
        }
        return result
    }
}
