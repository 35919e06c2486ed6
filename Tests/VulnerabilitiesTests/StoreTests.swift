import Archive
import Foundation
import ImageFormat
import Testing
import TestSupport
import Vulnerabilities

@Suite struct StoreTests {
    @Test func importsEveryRecordWithMetadata() throws {
        let dir = try TemporaryDirectory("vulndb")
        let store = try VulnFixtures.database(in: dir)
        let metadata = try #require(try store.metadata())
        #expect(metadata.records == 2136)
        #expect(metadata.counts == ["PyPI": 1986, "Debian:12": 89, "Debian:13": 61])
        #expect(metadata.newestModified == "2026-11-01T00:00:00Z")
        #expect(metadata.sources.map(\.key) == [VulnFixtures.osvFolder])
        #expect(metadata.sources.first?.records == 2136)
        // PyPI names are found whatever their spelling.
        #expect(try store.records(ecosystem: "PyPI", name: "Jinja2").contains { $0.id == "PYSEC-2019-217" })
        // Of bookworm's 89 records, 3 are about xz-utils and 2 about python3.8.
        #expect(try store.records(ecosystem: "Debian:12", name: "openssl").count == 84)
    }

    @Test func importingTheSameDataTwiceChangesNothing() throws {
        let dir = try TemporaryDirectory("vulndb")
        let store = try VulnFixtures.database(in: dir)
        let before = try Digest.sha256(ofFile: store.path)
        let report = try OSVImporter(store: store).importPaths([VulnFixtures.osvFolder])
        #expect(report.isNoChange)
        #expect(report.sources.first?.unchanged == 2136)
        #expect(try Digest.sha256(ofFile: store.path) == before)

        let zip = dir("all.zip")
        try VulnFixtures.zip(VulnFixtures.osvFolder + "/Debian", to: zip)
        let first = try OSVImporter(store: store).importPaths([zip])
        // The same records under a new source: moved, not added.
        #expect(first.sources.first?.changed == 150)
        let afterZip = try Digest.sha256(ofFile: store.path)
        let second = try OSVImporter(store: store).importPaths([zip])
        #expect(second.sources.first?.skipped == true)
        #expect(try Digest.sha256(ofFile: store.path) == afterZip)
    }

    @Test func aRecordThatLeftItsSourceIsRemoved() throws {
        let dir = try TemporaryDirectory("vulndb")
        let folder = dir.path("records")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["DEBIAN-CVE-2013-0340.json", "DEBIAN-CVE-2022-37434.json"] {
            try FileManager.default.copyItem(atPath: VulnFixtures.osvFolder + "/Debian/" + name, toPath: folder.path + "/" + name)
        }
        let store = try VulnerabilityStore(path: dir("vuln.db"))
        #expect(try OSVImporter(store: store).importPaths([folder.path]).sources.first?.added == 2)
        try FileManager.default.removeItem(atPath: folder.path + "/DEBIAN-CVE-2013-0340.json")
        let report = try OSVImporter(store: store).importPaths([folder.path])
        #expect(report.sources.first?.removed == 1)
        #expect(try store.metadata()?.records == 1)
        #expect(try store.records(ecosystem: "Debian:13", name: "expat").isEmpty)
    }

    @Test func aBrokenRecordAbortsTheWholeImport() throws {
        let dir = try TemporaryDirectory("vulndb")
        let store = try VulnFixtures.database(in: dir)
        let before = try Digest.sha256(ofFile: store.path)
        let folder = dir.path("bad")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: VulnFixtures.osvFolder + "/Debian/DEBIAN-CVE-2013-0340.json", toPath: folder.path + "/a.json")
        try Data(#"{"id": 5}"#.utf8).write(to: folder.appendingPathComponent("b.json"))
        #expect(throws: VulnerabilityError.self) { try OSVImporter(store: store).importPaths([folder.path]) }
        #expect(try Digest.sha256(ofFile: store.path) == before)
        #expect(try store.metadata()?.records == 2136)
    }

    /// `distill db import` killed with SIGKILL half-way through a large import: the previous database opens,
    /// passes SQLite's integrity check and holds exactly what it held before.
    @Test func anImportKilledHalfWayLeavesThePreviousDatabase() throws {
        let dir = try TemporaryDirectory("vulndb")
        let store = try VulnFixtures.database(in: dir)
        let big = dir.path("big")
        try FileManager.default.createDirectory(at: big, withIntermediateDirectories: true)
        // 6,000 renamed copies of a real record: the import is still running when it is killed after 1,000.
        _ = try VulnFixtures.python(
            """
            import sys
            t = open(sys.argv[1]).read()
            for i in range(6000):
                open(f"{sys.argv[2]}/TEST-{i}.json", "w").write(t.replace("PYSEC-2019-217", f"TEST-{i}"))
            """, [VulnFixtures.osvFolder + "/PyPI/PYSEC-2019-217.json", big.path])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VulnFixtures.distillBinary)
        process.arguments = ["db", "import", big.path, "--db", store.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The first progress line means records are being written inside the transaction.
        var seen = ""
        while !seen.contains("imported 1000 records") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import finished before it was killed: \(seen)")

        let reopened = try VulnerabilityStore(path: store.path)
        #expect(try reopened.metadata()?.records == 2136)
        #expect(try reopened.records(ecosystem: "PyPI", name: "jinja2").count == 5)
        let check = try Tool.check(["sqlite3", store.path, "PRAGMA integrity_check; SELECT COUNT(*) FROM vulnerability;"])
        #expect(check == "ok\n2136\n")
    }
}
