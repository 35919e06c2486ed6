import Foundation

/// One record's `affected[]` entries for one package: the ranges and versions a scan compares the installed
/// version with, and the severity each entry gives. Stored per (record, package) so a scan decodes no JSON.
struct PackageEntries: Sendable, Equatable {
    /// One `affected[]` entry, reduced to what matching reads.
    struct Entry: Sendable, Equatable {
        /// The entry's SEMVER and ECOSYSTEM ranges and its `versions` (GIT ranges are never compared).
        var affected: OSVAffected
        /// The severity a finding from this entry has (the entry's vector, else the record's…).
        var severity: SeverityAssessment
    }

    var entries: [Entry]

    init(entries: [Entry]) { self.entries = entries }

    /// The record's entries grouped by package, keyed as the database keys them (`PackageNameKey`), in record order.
    static func grouped(_ record: OSVRecord) -> [(ecosystem: String, name: String, entries: PackageEntries)] {
        var groups: [(ecosystem: String, name: String, entries: PackageEntries)] = []
        var index: [String: Int] = [:]
        for entry in record.affected ?? [] {
            guard let package = entry.package else { continue }
            let name = PackageNameKey.key(name: package.name, ecosystem: package.ecosystem)
            var reduced = OSVAffected(package: package, ranges: entry.ranges?.filter { $0.type == "SEMVER" || $0.type == "ECOSYSTEM" }, versions: entry.versions)
            if reduced.ranges?.isEmpty == true && entry.ranges?.isEmpty == false { reduced.ranges = nil }
            let stored = Entry(affected: reduced, severity: SeverityAssessment.assess(record, entry: entry))
            let key = package.ecosystem + "\u{0}" + name
            if let at = index[key] {
                groups[at].entries.entries.append(stored)
            } else {
                index[key] = groups.count
                groups.append((package.ecosystem, name, PackageEntries(entries: [stored])))
            }
        }
        return groups
    }

    /// The stored form.
    func encoded() -> Data {
        var writer = CompactWriter()
        writer.integer(entries.count)
        for entry in entries {
            let ranges = entry.affected.ranges ?? []
            writer.integer(ranges.count)
            for range in ranges {
                writer.string(range.type)
                let steps = Self.steps(range.events)
                writer.integer(steps.count)
                for (kind, value) in steps {
                    writer.integer(kind)
                    writer.string(value)
                }
            }
            writer.bool(entry.affected.versions != nil)
            if let versions = entry.affected.versions { writer.strings(versions) }
            writer.string(entry.severity.severity.rawValue)
            writer.string(entry.severity.source)
            writer.optionalString(entry.severity.vector)
            writer.bool(entry.severity.score != nil)
            if let score = entry.severity.score { writer.double(score) }
        }
        return writer.data
    }

    /// Reads the stored form; `package` is the (ecosystem, name) the row is about, `what` names it in errors.
    init(stored data: Data, package: OSVPackage, what: String) throws(VulnerabilityError) {
        var reader = CompactReader(data, what: what)
        var entries: [Entry] = []
        for _ in 0..<(try reader.count()) {
            var ranges: [OSVRange] = []
            for _ in 0..<(try reader.count()) {
                let type = try reader.string()
                var events: [OSVEvent] = []
                for _ in 0..<(try reader.count()) {
                    let kind = try reader.integer()
                    let value = try reader.string()
                    switch kind {
                    case 0: events.append(OSVEvent(introduced: value))
                    case 1: events.append(OSVEvent(fixed: value))
                    case 2: events.append(OSVEvent(lastAffected: value))
                    case 3: events.append(OSVEvent(limit: value))
                    default: throw reader.corrupt("unknown range event kind \(kind)")
                    }
                }
                ranges.append(OSVRange(type: type, events: events))
            }
            let versions = try reader.bool() ? try reader.strings() : nil
            let severityName = try reader.string()
            guard let severity = Severity(rawValue: severityName) else { throw reader.corrupt("unknown severity \(severityName)") }
            let source = try reader.string()
            let vector = try reader.optionalString()
            let score = try reader.bool() ? try reader.double() : nil
            entries.append(
                Entry(
                    affected: OSVAffected(package: package, ranges: ranges.isEmpty ? nil : ranges, versions: versions),
                    severity: SeverityAssessment(severity: severity, source: source, vector: vector, score: score)))
        }
        guard reader.isAtEnd else { throw reader.corrupt("bytes after the entries") }
        self.entries = entries
    }

    /// Each event's set fields in order, as (kind, version): 0 introduced, 1 fixed, 2 last_affected, 3 limit.
    private static func steps(_ events: [OSVEvent]) -> [(Int, String)] {
        var out: [(Int, String)] = []
        for event in events {
            if let v = event.introduced { out.append((0, v)) }
            if let v = event.fixed { out.append((1, v)) }
            if let v = event.lastAffected { out.append((2, v)) }
            if let v = event.limit { out.append((3, v)) }
        }
        return out
    }
}
