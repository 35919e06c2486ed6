/// Computes the closure of requested packages over Pre-Depends and Depends, as apt would but for a distroless image.
///
/// - Version relations, `|` alternatives (the first satisfiable one, unless a later one is already selected),
///   versioned and plain Provides, `:any`/`:native` qualifiers and `[arch]` restrictions are honoured.
/// - The newest version of a name wins unless a relation asks for another.
/// - A dependency that only excluded packages satisfy is skipped and recorded in ``Resolution/skipped``.
/// - Conflicts and Breaks are not checked: distroless sets never contain alternatives that conflict.
/// - Breadth-first from the requests in order, so the result is deterministic.
public struct Resolver: Sendable {
    public let index: PackageIndex
    public let policy: ResolutionPolicy

    public init(index: PackageIndex, policy: ResolutionPolicy = .distroless) {
        self.index = index
        self.policy = policy
    }

    /// Resolves `requests`: package names, optionally with a relation (`libpq5`, `python3.11 (= 3.11.2-6)`, `a | b`).
    public func resolve(_ requests: [String]) throws(DebianError) -> Resolution {
        var state = ResolverState(index: index, policy: policy)
        for request in requests {
            let deps = try RelationParser.dependencies(request, package: "the requested packages", field: "packages")
            for dep in deps { try state.satisfy(dep, requiredBy: nil, field: "requested", isRequest: true) }
        }
        var position = 0
        while position < state.queue.count {
            let name = state.queue[position]
            position += 1
            if policy.isDataOnly(name) { continue }
            guard let record = state.selected[name]?.record else { continue }
            for dep in try record.preDepends() { try state.satisfy(dep, requiredBy: name, field: "Pre-Depends", isRequest: false) }
            for dep in try record.depends() { try state.satisfy(dep, requiredBy: name, field: "Depends", isRequest: false) }
        }
        let packages = state.selected.values.sorted { $0.name < $1.name }
        return Resolution(architecture: index.architecture, requested: requests, packages: packages, skipped: state.skipped)
    }
}

/// The resolver's working set.
private struct ResolverState {
    let index: PackageIndex
    let policy: ResolutionPolicy
    var selected: [String: ResolvedPackage] = [:]
    /// Names provided by selected packages, with the version provided (nil when unversioned).
    var provided: [String: [DebianVersion?]] = [:]
    var queue: [String] = []
    var skipped: [SkippedDependency] = []

    init(index: PackageIndex, policy: ResolutionPolicy) {
        self.index = index
        self.policy = policy
    }

    var architecture: String { index.architecture }

    /// Does `record` satisfy the architecture qualifier of `relation`?
    func architectureMatches(_ relation: PackageRelation, _ record: PackageRecord) -> Bool {
        switch relation.architectureQualifier {
        case nil: return true
        case "any": return record.multiArch == .allowed || record.multiArch == .foreign
        case "native": return record.architecture == architecture || record.architecture == "all"
        case let qualifier?: return record.architecture == qualifier || (qualifier == architecture && record.architecture == "all")
        }
    }

    func isSatisfiedBySelection(_ relation: PackageRelation) -> Bool {
        if let chosen = selected[relation.name]?.record, architectureMatches(relation, chosen),
            relation.constraint?.isSatisfied(by: chosen.version) ?? true
        {
            return true
        }
        guard relation.architectureQualifier == nil || relation.architectureQualifier == "any",
            let versions = provided[relation.name]
        else { return false }
        guard let constraint = relation.constraint else { return true }
        return versions.contains { $0.map(constraint.isSatisfied(by:)) ?? false }
    }

    /// Packages that satisfy `relation`: real versions newest first, then providers.
    func candidates(_ relation: PackageRelation) -> [PackageRecord] {
        var result: [PackageRecord] = []
        for record in index.versions(of: relation.name)
        where architectureMatches(relation, record) && (relation.constraint?.isSatisfied(by: record.version) ?? true) {
            result.append(record)
        }
        if relation.architectureQualifier == nil || relation.architectureQualifier == "any" {
            for provider in index.providers(of: relation.name) {
                if let constraint = relation.constraint {
                    guard let version = provider.version, constraint.isSatisfied(by: version) else { continue }
                }
                result.append(provider.record)
            }
        }
        return result
    }

    mutating func satisfy(_ dependency: Dependency, requiredBy: String?, field: String, isRequest: Bool) throws(DebianError) {
        let alternatives = dependency.alternatives.filter { $0.applies(to: architecture) }
        if alternatives.isEmpty { return }
        if alternatives.contains(where: isSatisfiedBySelection) { return }

        var excludedCandidates: [String] = []
        var conflict: (name: String, selected: String, relation: PackageRelation)?
        var anyKnown = false
        for relation in alternatives {
            let relationExcluded = !isRequest && policy.isExcluded(relation.name)
            if !index.versions(of: relation.name).isEmpty || !index.providers(of: relation.name).isEmpty { anyKnown = true }
            for record in candidates(relation) {
                if relationExcluded || (!isRequest && policy.isExcluded(record.name)) {
                    excludedCandidates.append(record.name)
                    continue
                }
                if let existing = selected[record.name] {
                    // Another version of this name is already selected and does not satisfy the relation.
                    conflict = conflict ?? (record.name, existing.record.version.string, relation)
                    continue
                }
                select(record, requiredBy: requiredBy, relation: dependency.description, field: field)
                return
            }
            if relationExcluded && candidates(relation).isEmpty { excludedCandidates.append(relation.name) }
        }
        if let conflict {
            throw .versionConflict(
                package: conflict.name, selected: conflict.selected, required: conflict.relation.constraint.map { "(\($0))" } ?? "",
                by: requiredBy ?? "the requested packages")
        }
        if !excludedCandidates.isEmpty {
            let unique = Array(Set(excludedCandidates)).sorted()
            skipped.append(
                SkippedDependency(package: requiredBy ?? "(requested)", field: field, dependency: dependency.description, excludedCandidates: unique))
            return
        }
        let chain = requiredBy.map { self.chain(to: $0) } ?? []
        if !anyKnown && alternatives.count == 1 {
            throw .packageNotFound(name: alternatives[0].name, architecture: architecture, chain: chain)
        }
        throw .unsatisfiable(dependency: dependency.description, package: requiredBy ?? "the request", architecture: architecture, chain: chain)
    }

    mutating func select(_ record: PackageRecord, requiredBy: String?, relation: String, field: String) {
        selected[record.name] = ResolvedPackage(record: record, requiredBy: requiredBy, relation: relation, field: field)
        queue.append(record.name)
        if let provides = try? record.provides() {
            for p in provides where p.applies(to: architecture) {
                provided[p.name, default: []].append(p.constraint?.version)
            }
        }
    }

    func chain(to name: String) -> [String] {
        var chain = [name]
        var current = name
        while let parent = selected[current]?.requiredBy, !chain.contains(parent) {
            chain.append(parent)
            current = parent
        }
        return chain.reversed()
    }
}
