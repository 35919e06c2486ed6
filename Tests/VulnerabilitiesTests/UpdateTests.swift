import Foundation
import ImageFormat
import Testing
import TestSupport
import Vulnerabilities

@Suite struct UpdateTests {
    /// `db update` against a bucket served on 127.0.0.1: the first run imports every ecosystem, the second
    /// downloads nothing (Last-Modified), and after one zip changes only that ecosystem is imported again.
    @Test func updatesOnlyWhatChanged() async throws {
        let dir = try TemporaryDirectory("vuln-update")
        let bucket = dir.path("bucket")
        for ecosystem in ["Debian", "PyPI"] {
            try FileManager.default.createDirectory(at: bucket.appendingPathComponent(ecosystem), withIntermediateDirectories: true)
            try VulnFixtures.zip(VulnFixtures.osvFolder + "/" + ecosystem, to: bucket.path + "/\(ecosystem)/all.zip")
        }
        let server = try LocalHTTPServer(serving: bucket)
        defer { server.stop() }
        let store = try VulnerabilityStore(path: dir("db/vuln.db"))
        let updater = DatabaseUpdater(baseURL: server.baseURL, ecosystems: ["Debian", "PyPI"])

        let first = try await updater.update(store)
        #expect(first.map(\.ecosystem) == ["Debian", "PyPI"])
        guard case .imported(let debian) = first[0].outcome, case .imported(let pypi) = first[1].outcome else {
            Issue.record("expected both ecosystems imported, got \(first)")
            return
        }
        #expect(debian.added == 150)
        #expect(pypi.added == 1986)
        #expect(try store.metadata()?.records == 2136)
        #expect(try store.source(server.baseURL + "/PyPI/all.zip")?.lastModified != nil)

        let before = try Digest.sha256(ofFile: store.path)
        let second = try await updater.update(store)
        #expect(second.map(\.outcome) == [.notModified, .notModified])
        #expect(try Digest.sha256(ofFile: store.path) == before)

        // A new PyPI zip without one record, dated later: only PyPI is downloaded and imported again.
        let smaller = dir.path("pypi-smaller")
        try FileManager.default.createDirectory(at: smaller, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: VulnFixtures.osvFolder + "/PyPI") where name != "PYSEC-2019-217.json" {
            try FileManager.default.createSymbolicLink(atPath: smaller.path + "/" + name, withDestinationPath: VulnFixtures.osvFolder + "/PyPI/" + name)
        }
        let zip = bucket.path + "/PyPI/all.zip"
        try VulnFixtures.zip(smaller.path, to: zip)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: zip)
        let third = try await updater.update(store)
        #expect(third[0].outcome == .notModified)
        guard case .imported(let changed) = third[1].outcome else {
            Issue.record("expected PyPI imported again, got \(third[1])")
            return
        }
        #expect(changed.removed == 1)
        #expect(changed.added == 0 && changed.changed == 0)
        #expect(try store.metadata()?.records == 2135)
        let requested = server.requestedPaths
        #expect(requested.filter { $0 == "/PyPI/all.zip" }.count == 3)
    }

    @Test func aFailedDownloadLeavesTheDatabase() async throws {
        let dir = try TemporaryDirectory("vuln-update")
        let store = try VulnFixtures.database(in: dir)
        let before = try Digest.sha256(ofFile: store.path)
        let server = try LocalHTTPServer(serving: dir.url)
        defer { server.stop() }
        await #expect(throws: VulnerabilityError.self) {
            _ = try await DatabaseUpdater(baseURL: server.baseURL, ecosystems: ["Go"]).update(store)
        }
        #expect(try Digest.sha256(ofFile: store.path) == before)
    }
}

@Suite struct ETagUpdateTests {
    /// Against a bucket that sends ETags (as Google Cloud Storage does): the ETag is sent back, a 304 means no
    /// download, and a changed object (new ETag) is downloaded and imported.
    @Test func etagsAvoidDownloads() async throws {
        let dir = try TemporaryDirectory("vuln-etag")
        let bucket = dir.path("bucket")
        try FileManager.default.createDirectory(at: bucket.appendingPathComponent("Debian"), withIntermediateDirectories: true)
        try VulnFixtures.zip(VulnFixtures.osvFolder + "/Debian", to: bucket.path + "/Debian/all.zip")
        let server = try ETagServer(serving: bucket)
        defer { server.stop() }
        let store = try VulnerabilityStore(path: dir("vuln.db"))
        let updater = DatabaseUpdater(baseURL: server.baseURL, ecosystems: ["Debian"])
        _ = try await updater.update(store)
        let etag = try #require(try store.source(server.baseURL + "/Debian/all.zip")?.etag)
        #expect(etag.hasPrefix("\""))
        #expect(try await updater.update(store).map(\.outcome) == [.notModified])

        let smaller = dir.path("fewer")
        try FileManager.default.createDirectory(at: smaller, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: VulnFixtures.osvFolder + "/Debian/DEBIAN-CVE-2013-0340.json", toPath: smaller.path + "/DEBIAN-CVE-2013-0340.json")
        try VulnFixtures.zip(smaller.path, to: bucket.path + "/Debian/all.zip")
        let third = try await updater.update(store)
        guard case .imported(let outcome) = third.first?.outcome else {
            Issue.record("expected an import, got \(third)")
            return
        }
        #expect(outcome.removed == 149 && outcome.unchanged == 1)
        #expect(try store.source(server.baseURL + "/Debian/all.zip")?.etag != etag)
        #expect(server.requests == ["/Debian/all.zip 200", "/Debian/all.zip 304", "/Debian/all.zip 200"])
    }
}
