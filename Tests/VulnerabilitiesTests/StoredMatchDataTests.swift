import Foundation
import GRDB
import Testing
import TestSupport

@testable import Vulnerabilities

/// What the import stores beside each record so a scan decodes no JSON, and how a first import is written.
@Suite struct StoredMatchDataTests {
    /// Every real record's card and per-package entries read back exactly as written, and match what the
    /// record's JSON says (so a scan from stored data finds what one from the JSON would).
    @Test func everyRealRecordsStoredFormRoundTrips() throws {
        var checked = 0
        for record in VulnFixtures.records.values {
            let card = AdvisoryCard(record)
            #expect(try AdvisoryCard(stored: card.encoded(), what: record.id) == card)
            #expect(card.recordID == record.id && card.modified == record.modified && card.withdrawn == (record.withdrawn != nil))
            for group in PackageEntries.grouped(record) {
                let package = OSVPackage(ecosystem: group.ecosystem, name: group.name)
                let decoded = try PackageEntries(stored: group.entries.encoded(), package: package, what: record.id)
                #expect(decoded.entries.map(\.severity) == group.entries.entries.map(\.severity))
                #expect(decoded.entries.map(\.affected.versions) == group.entries.entries.map(\.affected.versions))
                #expect(decoded.entries.map { $0.affected.ranges?.map(\.events) } == group.entries.entries.map { $0.affected.ranges?.map(\.events) })
                // The entries are the record's own for that package, SEMVER and ECOSYSTEM ranges kept.
                let own = (record.affected ?? []).filter { $0.package?.ecosystem == group.ecosystem && PackageNameKey.key(name: $0.package?.name ?? "", ecosystem: group.ecosystem) == group.name }
                #expect(own.count == group.entries.entries.count)
                #expect(own.map { $0.ranges?.filter { $0.type != "GIT" }.count ?? 0 } == decoded.entries.map { $0.affected.ranges?.count ?? 0 })
                checked += 1
            }
        }
        #expect(checked >= 2136)
    }

    /// Damaged stored bytes are an error naming the database, never a crash or a wrong answer.
    @Test(arguments: [0, 1, 7, 40])
    func damagedStoredBytesAreAnError(_ cut: Int) throws {
        let record = try #require(VulnFixtures.records["PYSEC-2019-217"])
        let card = AdvisoryCard(record).encoded()
        #expect(throws: VulnerabilityError.self) { try AdvisoryCard(stored: card.prefix(cut), what: "x.db record PYSEC-2019-217") }
        #expect(throws: VulnerabilityError.self) { try AdvisoryCard(stored: card + [0], what: "x.db") }
        let entries = try #require(PackageEntries.grouped(record).first).entries.encoded()
        let package = OSVPackage(ecosystem: "PyPI", name: "jinja2")
        #expect(throws: VulnerabilityError.self) { try PackageEntries(stored: entries.prefix(cut), package: package, what: "x.db") }
        #expect(throws: VulnerabilityError.self) { try PackageEntries(stored: Data([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), package: package, what: "x.db") }
    }

    /// A first import builds a new file and renames it into place: a store opened before sees the records, a
    /// temporary left by a killed import is removed, and no journal or temporary remains.
    @Test func aFirstImportReplacesTheEmptyFile() throws {
        let dir = try TemporaryDirectory("vulndb-first")
        let path = dir("vuln.db")
        let store = try VulnerabilityStore(path: path)
        let stray = dir(".vuln.db.tmp-1-2")
        try Data("left by a killed import".utf8).write(to: URL(fileURLWithPath: stray))
        let report = try OSVImporter(store: store).importPaths([VulnFixtures.osvFolder + "/Debian"])
        #expect(report.sources.first?.added == 150 && !report.rebuiltOutdated)
        #expect(try store.metadata()?.records == 150)
        #expect(try store.records(ecosystem: "Debian:12", name: "openssl").count == 84)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["vuln.db", "vuln.db.lock"])
        #expect(try Tool.check(["sqlite3", path, "PRAGMA integrity_check; PRAGMA user_version;"]) == "ok\n2\n")
        // The second import goes into the same file, in place.
        let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64
        #expect(try OSVImporter(store: store).importPaths([VulnFixtures.osvFolder + "/PyPI"]).sources.first?.added == 1986)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64 == inode)
        #expect(try store.metadata()?.records == 2136)
    }

    /// A database of the first layout (no stored match data) is refused by scan with what to do, and the next
    /// import rebuilds it from its own sources.
    @Test func aDatabaseOfTheOlderLayoutIsRebuilt() throws {
        let dir = try TemporaryDirectory("vulndb-old")
        let path = dir("vuln.db")
        try Tool.check([
            "sqlite3", path,
            """
            CREATE TABLE vulnerability (id TEXT PRIMARY KEY NOT NULL, modified TEXT NOT NULL, source TEXT NOT NULL, digest TEXT NOT NULL, record BLOB NOT NULL);
            CREATE TABLE affected (vulnerability_id TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL);
            CREATE TABLE source (key TEXT PRIMARY KEY NOT NULL, sha256 TEXT, etag TEXT, last_modified TEXT, records INTEGER NOT NULL, imported_at TEXT NOT NULL);
            CREATE TABLE metadata (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            INSERT INTO vulnerability VALUES ('OLD-1', '2020-01-01T00:00:00Z', '/old', 'x', '{}');
            INSERT INTO affected VALUES ('OLD-1', 'Debian:12', 'openssl');
            INSERT INTO source VALUES ('/old', 'ab', NULL, NULL, 1, '2020-01-01T00:00:00Z');
            """,
        ])
        let reader = try VulnerabilityStore(path: path, readOnly: true)
        let subject = ScanSubject(name: "x", osFamily: "debian", osVersion: "12", packages: [ScannedPackage(name: "libssl3", version: "3.0.0-1", ecosystem: "Debian", sourceName: "openssl")])
        #expect(throws: VulnerabilityError.self) { try VulnerabilityScanner(store: reader).scan(subject) }
        let store = try VulnerabilityStore(path: path)
        #expect(try store.source("/old") == nil)
        let report = try OSVImporter(store: store).importPaths([VulnFixtures.osvFolder + "/Debian"])
        #expect(report.rebuiltOutdated)
        #expect(try store.metadata()?.sources.map(\.key) == [VulnFixtures.osvFolder + "/Debian"])
        let findings = try VulnerabilityScanner(store: try VulnerabilityStore(path: path, readOnly: true)).scan(subject).findings
        #expect(findings.count > 10 && findings.allSatisfy { $0.recordID != "OLD-1" })
    }
}
