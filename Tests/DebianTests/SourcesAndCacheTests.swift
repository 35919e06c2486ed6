import Foundation
import Testing
import TestSupport

@testable import Debian

@Suite("sources")
struct SourcesTests {
    @Test("debian12 and debian13 defaults: release, updates, security on the official mirrors")
    func defaults() {
        let bookworm = DebianSources.standard(distro: .debian12)
        #expect(bookworm.suites.map(\.name) == ["bookworm", "bookworm-updates", "bookworm-security"])
        #expect(bookworm.suites.map(\.mirror) == ["http://deb.debian.org/debian", "http://deb.debian.org/debian", "http://deb.debian.org/debian-security"])
        #expect(bookworm.suites.allSatisfy { $0.components == ["main"] })
        #expect(bookworm.suites[2].distsURL("InRelease") == "http://deb.debian.org/debian-security/dists/bookworm-security/InRelease")
        let trixie = DebianSources.standard(distro: .debian13)
        #expect(trixie.suites.map(\.name) == ["trixie", "trixie-updates", "trixie-security"])
    }

    @Test("a mirror override and an explicit suite list")
    func overrides() {
        let custom = DebianSources.standard(distro: .debian12, mirror: "https://mirror.example/debian/")
        #expect(custom.suites[0].mirror == "https://mirror.example/debian")
        #expect(custom.suites[2].mirror == "https://mirror.example/debian-security")
        #expect(custom.suites[0].poolURL("pool/main/x.deb") == "https://mirror.example/debian/pool/main/x.deb")
        let frozen = DebianSources.standard(distro: .debian12, mirror: "http://127.0.0.1:8000", suites: ["bookworm"])
        #expect(frozen.suites == [DebianSuite(name: "bookworm", mirror: "http://127.0.0.1:8000")])
        #expect(DebianSources.securitySibling(of: "http://127.0.0.1:8000/") == "http://127.0.0.1:8000/debian-security")
        #expect(frozen.suite(named: "bookworm")?.distsURL("main/binary-amd64/Packages.xz") == "http://127.0.0.1:8000/dists/bookworm/main/binary-amd64/Packages.xz")
    }
}

@Suite("content cache")
struct ContentCacheTests {
    @Test("an entry appears only when its digest and size match")
    func verifiedCommit() throws {
        let directory = try TemporaryDirectory("cache")
        let cache = try ContentCache(root: directory.url)
        let data = Data("hello\n".utf8)
        let hex = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"

        let wrong = try cache.beginEntry(name: "http://m/a")
        try wrong.sink.write(data)
        #expect(throws: DebianError.checksumMismatch(file: "http://m/a", expected: String(repeating: "0", count: 64), actual: hex)) {
            try wrong.commit(expectedSHA256: String(repeating: "0", count: 64), expectedSize: 6)
        }
        let short = try cache.beginEntry(name: "http://m/b")
        try short.sink.write(data)
        #expect(throws: DebianError.sizeMismatch(file: "http://m/b", expected: 7, actual: 6)) {
            try short.commit(expectedSHA256: hex, expectedSize: 7)
        }
        var abandoned: CacheWriter? = try cache.beginEntry(name: "http://m/c")
        try abandoned?.sink.write(data)
        abandoned = nil
        #expect(CacheSnapshot(cache) == CacheSnapshot(blobs: [], temporary: []))

        let good = try cache.beginEntry(name: "http://m/d")
        try good.sink.write(data)
        let path = try good.commit(expectedSHA256: hex.uppercased(), expectedSize: 6)
        #expect(try path == cache.path(sha256: hex))
        #expect(cache.contains(sha256: hex))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data)
        #expect(CacheSnapshot(cache) == CacheSnapshot(blobs: ["sha256/" + hex], temporary: []))
    }

    @Test("references point at entries and survive only while the entry exists")
    func references() throws {
        let directory = try TemporaryDirectory("cache")
        let cache = try ContentCache(root: directory.url)
        let file = directory.path("input")
        try Data("x".utf8).write(to: file)
        let path = try cache.importFile(at: file.path, name: "input", sha256: nil, size: 1)
        let hex = URL(fileURLWithPath: path).lastPathComponent
        try cache.setReference("InRelease http://m/dists/bookworm/InRelease", sha256: hex)
        #expect(cache.reference("InRelease http://m/dists/bookworm/InRelease") == hex)
        #expect(cache.reference("InRelease http://other/dists/bookworm/InRelease") == nil)
        try FileManager.default.removeItem(atPath: path)
        #expect(cache.reference("InRelease http://m/dists/bookworm/InRelease") == nil)
    }

    @Test("the default location follows XDG_CACHE_HOME, else ~/.cache")
    func defaultRoot() {
        #expect(ContentCache.defaultRoot(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]).path == "/x/cache/distill")
        #expect(ContentCache.defaultRoot(environment: ["HOME": "/home/u"]).path == "/home/u/.cache/distill")
        #expect(ContentCache.defaultRoot(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"]).path == "/home/u/.cache/distill")
    }

    @Test("the sweep removes what dead processes left, never a live build's staging, however old")
    func sweep() throws {
        let directory = try TemporaryDirectory("cache")
        let cache = try ContentCache(root: directory.url)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let tmp = cache.temporaryDirectory.path
        // A live concurrent build (this process) staging for hours, and a dead one's leftovers.
        let live = tmp + "/build-\(getpid())-aaaaaa"
        let abandoned = tmp + "/build-\(dead)-bbbbbb"
        for folder in [live, abandoned] {
            try FileManager.default.createDirectory(atPath: folder + "/blobs", withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/blobs/layer"))
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7 * 86_400)], ofItemAtPath: folder)
        }
        try Data("p".utf8).write(to: URL(fileURLWithPath: tmp + "/partial-\(dead)-x"))
        // An old-style name with no pid: removed once old, kept while recent.
        let legacyOld = tmp + "/old.partial"
        try Data("x".utf8).write(to: URL(fileURLWithPath: legacyOld))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -2 * 86_400)], ofItemAtPath: legacyOld)
        try Data("y".utf8).write(to: URL(fileURLWithPath: tmp + "/new.partial"))
        cache.removeStaleTemporaryFiles()
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).sorted() == ["build-\(getpid())-aaaaaa", "new.partial"])
        #expect(FileManager.default.fileExists(atPath: live + "/blobs/layer"))
    }
}
