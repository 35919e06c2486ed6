import Foundation

/// The sha256 and size a Release file promises for one index file.
public struct IndexChecksum: Sendable, Equatable {
    public let sha256: String
    public let size: Int64
}

/// A suite's (In)Release file: what it is for, how long it is valid, and the checksums of its indexes.
///
/// Build it only from text that passed ``SignatureVerifier``.
public struct ReleaseFile: Sendable {
    public let suite: String?
    public let codename: String?
    public let date: Date?
    public let validUntil: Date?
    public let architectures: [String]
    public let components: [String]
    /// Index path (`main/binary-amd64/Packages.xz`) to its checksum.
    public let sha256: [String: IndexChecksum]

    /// Parses verified Release text; `file` names it in errors.
    public init(parsing data: Data, file: String) throws(DebianError) {
        let stanzas = try Deb822.parse(data, file: file)
        guard let stanza = stanzas.first else { throw .missingField(file: file, field: "Suite") }
        suite = stanza["Suite"]
        codename = stanza["Codename"]
        date = stanza["Date"].flatMap(Self.parseDate)
        if let text = stanza["Valid-Until"] {
            guard let parsed = Self.parseDate(text) else {
                throw .malformedControl(file: file, line: 0, reason: "Valid-Until '\(text)' is not an RFC 2822 date")
            }
            validUntil = parsed
        } else {
            validUntil = nil
        }
        architectures = (stanza["Architectures"] ?? "").split(separator: " ").map(String.init)
        components = (stanza["Components"] ?? "").split(separator: " ").map(String.init)
        guard let sums = stanza["SHA256"] else { throw .missingField(file: file, field: "SHA256") }
        var table: [String: IndexChecksum] = [:]
        for line in sums.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 3, ContentCache.isSHA256(parts[0].lowercased()), let size = Int64(parts[1]), size >= 0 else {
                throw .malformedControl(file: file, line: 0, reason: "bad SHA256 line '\(line)'")
            }
            table[String(parts[2])] = IndexChecksum(sha256: parts[0].lowercased(), size: size)
        }
        sha256 = table
    }

    /// Throws unless the file is for `suite` (by Suite or Codename) and, when checking, not past Valid-Until nor dated in the future.
    public func check(suite expected: String, now: Date?, file: String) throws(DebianError) {
        guard suite == expected || codename == expected else {
            throw .releaseMismatch(file: file, expected: expected, found: [codename, suite].compactMap { $0 }.joined(separator: "/"))
        }
        if let now, let validUntil, validUntil < now {
            throw .releaseExpired(file: file, validUntil: Self.format(validUntil))
        }
        if let now, let date, date > now.addingTimeInterval(Self.allowedClockSkew) {
            throw .releaseFromFuture(file: file, date: Self.format(date))
        }
    }

    /// How far a release's Date may lie ahead of this machine's clock.
    public static let allowedClockSkew: TimeInterval = 600

    /// Throws ``DebianError/releaseRollback(file:date:cachedDate:)`` when this release is older than `previous`,
    /// the one verified earlier for the same suite on the same mirror.
    public func checkNotOlder(than previous: ReleaseFile, file: String) throws(DebianError) {
        if let date, let before = previous.date, date < before {
            throw .releaseRollback(file: file, date: Self.format(date), cachedDate: Self.format(before))
        }
    }

    /// Parses `Sat, 11 Jul 2026 10:16:37 UTC` (and numeric zones).
    static func parseDate(_ text: String) -> Date? {
        // Such dates are short printable ASCII. Anything else is refused before DateFormatter sees it:
        // Foundation's traps on some non-ASCII text (a combining mark after the seconds, found by `make fuzz`).
        guard text.utf8.count <= 64, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss zzz"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text.trimmingCharacters(in: .whitespaces)) { return date }
        }
        return nil
    }

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}
