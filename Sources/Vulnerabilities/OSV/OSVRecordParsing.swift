import Foundation

extension OSVRecord {
    /// Reads a record from its JSON with ``JSONParser``: the same record, and the same refusals, as
    /// `JSONDecoder` gives (a missing `id`, a field of the wrong type), at a fraction of the cost.
    /// `what` names the document in errors.
    public init(parsing data: Data, what: String) throws(VulnerabilityError) {
        let root = try RecordFields(JSONParser.parse(data, what: what), path: "", what: what)
        id = try root.string("id")
        modified = try root.string("modified")
        schemaVersion = try root.optionalString("schema_version")
        published = try root.optionalString("published")
        withdrawn = try root.optionalString("withdrawn")
        aliases = try root.optionalStrings("aliases")
        upstream = try root.optionalStrings("upstream")
        related = try root.optionalStrings("related")
        summary = try root.optionalString("summary")
        details = try root.optionalString("details")
        severity = try root.optionalObjects("severity") { fields throws(VulnerabilityError) in try OSVSeverity(fields) }
        affected = try root.optionalObjects("affected") { fields throws(VulnerabilityError) in try OSVAffected(fields) }
        references = try root.optionalObjects("references") { fields throws(VulnerabilityError) in
            OSVReference(type: try fields.string("type"), url: try fields.string("url"))
        }
        credits = try root.optionalObjects("credits") { fields throws(VulnerabilityError) in
            var credit = OSVCredit(name: try fields.string("name"))
            credit.contact = try fields.optionalStrings("contact")
            credit.type = try fields.optionalString("type")
            return credit
        }
        databaseSpecific = root.value("database_specific")
    }
}

extension OSVSeverity {
    fileprivate init(_ fields: RecordFields) throws(VulnerabilityError) {
        self.init(type: try fields.string("type"), score: try fields.string("score"))
    }
}

extension OSVAffected {
    fileprivate init(_ fields: RecordFields) throws(VulnerabilityError) {
        let package = try fields.optionalObject("package").map { p throws(VulnerabilityError) in
            OSVPackage(ecosystem: try p.string("ecosystem"), name: try p.string("name"), purl: try p.optionalString("purl"))
        }
        let ranges = try fields.optionalObjects("ranges") { range throws(VulnerabilityError) in
            var parsed = OSVRange(
                type: try range.string("type"),
                events: try range.objects("events") { event throws(VulnerabilityError) in
                    OSVEvent(
                        introduced: try event.optionalString("introduced"), fixed: try event.optionalString("fixed"),
                        lastAffected: try event.optionalString("last_affected"), limit: try event.optionalString("limit"))
                })
            parsed.repo = try range.optionalString("repo")
            parsed.databaseSpecific = range.value("database_specific")
            return parsed
        }
        self.init(package: package, ranges: ranges, versions: try fields.optionalStrings("versions"))
        severity = try fields.optionalObjects("severity") { fields throws(VulnerabilityError) in try OSVSeverity(fields) }
        ecosystemSpecific = fields.value("ecosystem_specific")
        databaseSpecific = fields.value("database_specific")
    }
}

/// The members of one JSON object of a record, read the way `JSONDecoder` reads them: an absent or null
/// optional field is nil, a present field of the wrong type is an error naming its path.
private struct RecordFields {
    let members: [String: JSONValue]
    let path: String
    let what: String

    init(_ value: JSONValue, path: String, what: String) throws(VulnerabilityError) {
        guard case .object(let members) = value else {
            throw .malformedRecord(file: what, reason: "expected an object at \(path.isEmpty ? "the top level" : path)")
        }
        self.members = members
        self.path = path
        self.what = what
    }

    private func mismatch(_ key: String, _ expected: String) -> VulnerabilityError {
        .malformedRecord(file: what, reason: "expected \(expected) at \(path.isEmpty ? key : path + "." + key)")
    }

    /// A free-form member; null counts as absent.
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(VulnerabilityError) -> String {
        guard let value = members[key], value != .null else {
            throw .malformedRecord(file: what, reason: "missing field '\(key)' at \(path.isEmpty ? "the top level" : path)")
        }
        guard case .string(let text) = value else { throw mismatch(key, "a string") }
        return text
    }

    func optionalString(_ key: String) throws(VulnerabilityError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw mismatch(key, "a string") }
        return text
    }

    func optionalStrings(_ key: String) throws(VulnerabilityError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let elements) = value else { throw mismatch(key, "an array of strings") }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let text) = element else { throw mismatch(key, "an array of strings") }
            out.append(text)
        }
        return out
    }

    func optionalObject(_ key: String) throws(VulnerabilityError) -> RecordFields? {
        guard let value = value(key) else { return nil }
        return try RecordFields(value, path: path.isEmpty ? key : path + "." + key, what: what)
    }

    func objects<T>(_ key: String, _ read: (RecordFields) throws(VulnerabilityError) -> T) throws(VulnerabilityError) -> [T] {
        guard let value = value(key) else {
            throw .malformedRecord(file: what, reason: "missing field '\(key)' at \(path.isEmpty ? "the top level" : path)")
        }
        return try objects(value, key, read)
    }

    func optionalObjects<T>(_ key: String, _ read: (RecordFields) throws(VulnerabilityError) -> T) throws(VulnerabilityError) -> [T]? {
        guard let value = value(key) else { return nil }
        return try objects(value, key, read)
    }

    private func objects<T>(_ value: JSONValue, _ key: String, _ read: (RecordFields) throws(VulnerabilityError) -> T) throws(VulnerabilityError) -> [T] {
        guard case .array(let elements) = value else { throw mismatch(key, "an array") }
        var out: [T] = []
        out.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            out.append(try read(RecordFields(element, path: (path.isEmpty ? key : path + "." + key) + "[\(index)]", what: what)))
        }
        return out
    }
}
