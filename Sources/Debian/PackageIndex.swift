/// A package that provides a (possibly virtual) name, with the version it provides it at, if any.
public struct Provider: Sendable {
    public let record: PackageRecord
    /// From a versioned Provides (`libgcc1 (= 1:12.2.0-14)`); nil for an unversioned one.
    public let version: DebianVersion?
}

/// Every package installable on one architecture, across the configured suites.
///
/// A name can have several versions (one per suite); lookups return them newest first,
/// so "newest version wins" unless a version relation asks for another.
public struct PackageIndex: Sendable {
    /// The architecture this index serves (`all` packages are included).
    public let architecture: String
    private let byName: [String: [PackageRecord]]
    private let byProvidedName: [String: [Provider]]

    /// Builds the index from the records of all suites, keeping those for `architecture` and `all`.
    public init(architecture: String, records: [PackageRecord]) {
        self.architecture = architecture
        var byName: [String: [PackageRecord]] = [:]
        byName.reserveCapacity(records.count)
        var provided: [String: [Provider]] = [:]
        for record in records where record.architecture == architecture || record.architecture == "all" {
            if let existing = byName[record.name], existing.contains(where: { $0.version == record.version }) {
                // The same version in two suites (a point release folded in): the first suite listed keeps it.
                continue
            }
            byName[record.name, default: []].append(record)
            if record.providesText != nil, let provides = try? record.provides() {
                // A malformed Provides only loses that package as a provider; it never satisfies anything wrongly.
                for relation in provides where relation.applies(to: architecture) {
                    provided[relation.name, default: []].append(Provider(record: record, version: relation.constraint?.version))
                }
            }
        }
        for (name, list) in byName where list.count > 1 {
            byName[name] = list.sorted { $0.version > $1.version }
        }
        for (name, list) in provided where list.count > 1 {
            provided[name] = list.sorted {
                $0.record.name != $1.record.name ? $0.record.name < $1.record.name : $0.record.version > $1.record.version
            }
        }
        self.byName = byName
        self.byProvidedName = provided
    }

    /// The number of distinct package names.
    public var count: Int { byName.count }

    /// All versions of `name`, newest first; empty when there is no real package of that name.
    public func versions(of name: String) -> [PackageRecord] { byName[name] ?? [] }

    /// The newest version of `name`.
    public func newest(_ name: String) -> PackageRecord? { byName[name]?.first }

    /// The packages that provide `name`, sorted by provider name then newest first.
    public func providers(of name: String) -> [Provider] { byProvidedName[name] ?? [] }

    /// All package names, sorted.
    public var names: [String] { byName.keys.sorted() }
}
