/// A package chosen by the resolver, and why.
public struct ResolvedPackage: Sendable {
    public let record: PackageRecord
    /// The package whose dependency pulled this one in; nil for a requested (root) package.
    public let requiredBy: String?
    /// The relation as written in `requiredBy`'s control data (or the request), e.g. `libc6 (>= 2.34)`.
    public let relation: String
    /// `Depends` or `Pre-Depends` (or `requested` for a root).
    public let field: String

    public var name: String { record.name }
}

/// A dependency the resolver did not follow because every package satisfying it is excluded by policy.
public struct SkippedDependency: Sendable, Equatable {
    /// The package that declares the dependency.
    public let package: String
    public let field: String
    /// The dependency as written.
    public let dependency: String
    /// The excluded packages that would have satisfied it, sorted.
    public let excludedCandidates: [String]
}

/// The outcome of resolving a set of requested packages on one architecture.
public struct Resolution: Sendable {
    public let architecture: String
    /// The requested packages, as given.
    public let requested: [String]
    /// Every selected package, sorted by name.
    public let packages: [ResolvedPackage]
    /// Dependencies left out by policy, in the order met.
    public let skipped: [SkippedDependency]

    /// What to fetch for the selected packages, sorted by name.
    public var downloads: [PackageDownload] { packages.map { PackageDownload($0.record) } }

    /// The selected package called `name`.
    public func package(_ name: String) -> ResolvedPackage? {
        packages.first { $0.name == name }
    }

    /// The chain from a requested package down to `name` (first element is the root), or nil if not selected.
    public func chain(to name: String) -> [ResolvedPackage]? {
        var byName: [String: ResolvedPackage] = [:]
        for p in packages { byName[p.name] = p }
        guard var current = byName[name] else { return nil }
        var chain = [current]
        var seen: Set<String> = [name]
        while let parent = current.requiredBy, let next = byName[parent], seen.insert(parent).inserted {
            chain.append(next)
            current = next
        }
        return chain.reversed()
    }

    /// A human explanation of why `name` is (or is not) in the image, for `distill why`.
    public func explain(_ name: String) -> String {
        if let chain = chain(to: name) {
            var lines: [String] = []
            for (depth, step) in chain.enumerated() {
                let label = "\(step.name) \(step.record.version)"
                if let parent = step.requiredBy {
                    lines.append(String(repeating: "  ", count: depth) + "\(label)  ← \(parent) \(step.field): \(step.relation)")
                } else {
                    lines.append("\(label)  (requested)")
                }
            }
            return lines.joined(separator: "\n")
        }
        let reasons = skipped.filter { $0.excludedCandidates.contains(name) || $0.dependency.contains(name) }
        if !reasons.isEmpty {
            let list = reasons.map { "\($0.package) \($0.field): \($0.dependency)" }.joined(separator: "; ")
            return "\(name) is not in the image: excluded by policy although wanted by \(list)"
        }
        return "\(name) is not in the image: nothing requested depends on it"
    }
}
