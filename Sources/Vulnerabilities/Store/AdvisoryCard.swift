import Foundation

/// What a finding shows of an OSV record, kept beside the record's JSON so a scan builds findings without
/// decoding the JSON again.
struct AdvisoryCard: Sendable, Equatable {
    var recordID: String
    /// The CVE the record is about when it names exactly one, else its own id.
    var vulnerabilityID: String
    /// `aliases` then `upstream`, as the record lists them.
    var aliases: [String]
    var title: String?
    var details: String?
    /// The first ADVISORY reference, else the first reference.
    var primaryURL: String?
    var references: [String]
    var published: String?
    var modified: String
    var withdrawn: Bool

    init(_ record: OSVRecord) {
        recordID = record.id
        vulnerabilityID = Self.preferredID(record)
        aliases = (record.aliases ?? []) + (record.upstream ?? [])
        title = record.summary
        details = record.details
        references = (record.references ?? []).map(\.url)
        primaryURL = record.references?.first { $0.type == "ADVISORY" }?.url ?? references.first
        published = record.published
        modified = record.modified
        withdrawn = record.withdrawn != nil
    }

    /// The CVE a record is about when it names exactly one, else its own id.
    static func preferredID(_ record: OSVRecord) -> String {
        if record.id.hasPrefix("CVE-") { return record.id }
        let cves = Set(((record.aliases ?? []) + (record.upstream ?? [])).filter { $0.hasPrefix("CVE-") })
        if cves.count == 1, let only = cves.first { return only }
        return record.id
    }

    /// The stored form.
    func encoded() -> Data {
        var writer = CompactWriter()
        writer.string(recordID)
        writer.string(vulnerabilityID)
        writer.strings(aliases)
        writer.optionalString(title)
        writer.optionalString(details)
        writer.optionalString(primaryURL)
        writer.strings(references)
        writer.optionalString(published)
        writer.string(modified)
        writer.bool(withdrawn)
        return writer.data
    }

    /// Reads the stored form; `what` names the database and record in errors.
    init(stored data: Data, what: String) throws(VulnerabilityError) {
        var reader = CompactReader(data, what: what)
        recordID = try reader.string()
        vulnerabilityID = try reader.string()
        aliases = try reader.strings()
        title = try reader.optionalString()
        details = try reader.optionalString()
        primaryURL = try reader.optionalString()
        references = try reader.strings()
        published = try reader.optionalString()
        modified = try reader.string()
        withdrawn = try reader.bool()
        guard reader.isAtEnd else { throw reader.corrupt("bytes after the record's fields") }
    }
}
