import Archive
import Foundation
import Testing
import TestSupport

@testable import Debian

@Suite(".deb extraction")
struct DebExtractorTests {
    @Test("base-files from the frozen pool: kept paths, modes, status.d records")
    func baseFiles() throws {
        let staging = try TemporaryDirectory("staging")
        let deb = SharedTestData.debianMirror.appendingPathComponent("pool/main/b/base-files/base-files_12.4+deb12u15_amd64.deb").path
        let contents = try DebExtractor().extract(deb: deb, name: "base-files_12.4+deb12u15_amd64.deb", into: staging.url)
        #expect(contents.package == "base-files")
        #expect(contents.control["Version"] == "12.4+deb12u15")
        let byPath = Dictionary(contents.entries.map { ($0.path, $0.node) }, uniquingKeysWith: { $1 })
        let osRelease = try #require(byPath["usr/lib/os-release"])
        #expect(osRelease.kind == .regular && osRelease.permissions == 0o644 && osRelease.uid == 0)
        guard case .file(let staged, let size)? = osRelease.content else {
            Issue.record("os-release is not staged on disk")
            return
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: staged)).count == Int(size))
        #expect(staged.hasPrefix(staging.url.path))
        #expect(byPath["etc/os-release"]?.kind == .symlink(target: "../usr/lib/os-release"))
        #expect(byPath["tmp"]?.permissions == 0o1777)
        #expect(byPath["usr/share/doc/base-files/copyright"] != nil)
        #expect(byPath["usr/share/doc/base-files"]?.kind == .directory)
        #expect(!contents.entries.contains { $0.path.hasPrefix("usr/share/doc/base-files/") && !$0.path.hasSuffix("/copyright") })
        #expect(!contents.entries.contains { $0.path.hasPrefix("usr/share/man") || $0.path.hasPrefix("usr/share/info") })
        #expect(!contents.entries.contains { $0.path.hasPrefix("usr/share/lintian") || $0.path.hasPrefix("usr/share/locale") })

        let status = contents.statusEntries
        #expect(status.map(\.path) == ["var/lib/dpkg/status.d/base-files", "var/lib/dpkg/status.d/base-files.md5sums"])
        guard case .bytes(let stanza)? = status[0].node.content, case .bytes(let md5sums)? = status[1].node.content else {
            Issue.record("status.d records are not in-memory files")
            return
        }
        let text = String(decoding: stanza, as: UTF8.self)
        #expect(text.hasPrefix("Package: base-files\n") && text.hasSuffix("\n") && text.contains("\nVersion: 12.4+deb12u15\n"))
        #expect(String(decoding: md5sums, as: UTF8.self).contains("  usr/lib/os-release\n"))
        #expect(status.allSatisfy { $0.node.permissions == 0o644 })
    }

    @Test("a python library with xz members extracts fully and stages every kept file", arguments: ["bookworm", "trixie"])
    func pythonStdlib(suite: String) throws {
        let name = suite == "trixie" ? "python3.13/libpython3.13-stdlib_3.13.5-2+deb13u5_amd64.deb" : "python3.11/libpython3.11-stdlib_3.11.2-6+deb12u8_amd64.deb"
        let staging = try TemporaryDirectory("staging")
        let deb = SharedTestData.debianMirror.appendingPathComponent("pool/main/p/" + name).path
        let contents = try DebExtractor().extract(deb: deb, name: name, into: staging.url)
        let regular = contents.entries.filter { $0.node.kind == .regular }
        #expect(regular.count > 300)
        #expect(contents.entries.contains { $0.path.hasSuffix("/sqlite3/__init__.py") })
        #expect(TemporaryDirectory.files(below: staging.url).count == regular.count)
    }

    @Test("synthetic packages in every member compression", arguments: DebBuilder.Compression.allCases)
    func compressions(_ compression: DebBuilder.Compression) throws {
        var builder = DebBuilder(compression: compression)
        builder.files = [
            .init(path: "./", kind: .directory, mode: 0o755), .init(path: "./usr/", kind: .directory, mode: 0o755),
            .init(path: "./usr/bin/demo", mode: 0o4755, content: Data("#!demo\n".utf8)),
            .init(path: "./usr/bin/demo2", kind: .hardlink(target: "./usr/bin/demo"), mode: 0o4755),
            .init(path: "./usr/share/doc/demo/changelog.gz", content: Data([1, 2, 3])),
            .init(path: "./usr/share/doc/demo/copyright", content: Data("MIT\n".utf8)),
            .init(path: "./usr/share/doc/demo/linked", kind: .hardlink(target: "./usr/share/doc/demo/changelog.gz")),
            .init(path: "./usr/share/man/man1/demo.1.gz", content: Data([4])),
            .init(path: "./usr/lib/demo.so", kind: .symlink(target: "demo.so.1"), mode: 0o777),
        ]
        let directory = try TemporaryDirectory("deb")
        let deb = directory.path("demo.deb")
        try builder.build().write(to: deb)
        let contents = try DebExtractor().extract(deb: deb.path, name: "demo.deb", into: directory.path("staging"))
        #expect(contents.entries.map(\.path) == ["usr", "usr/bin/demo", "usr/bin/demo2", "usr/share/doc/demo/copyright", "usr/lib/demo.so"])
        #expect(contents.entries[1].node.permissions == 0o4755)
        #expect(contents.entries[2].node.kind == .hardlink(target: "usr/bin/demo"))
        #expect(contents.entries[4].node.kind == .symlink(target: "demo.so.1"))
        let everything = try DebExtractor(filter: .everything).extract(deb: deb.path, name: "demo.deb", into: directory.path("all"))
        #expect(everything.entries.count == 8)
    }

    @Test("an entry that climbs out with .. is refused, naming the .deb")
    func unsafe() throws {
        var builder = DebBuilder()
        builder.files = [.init(path: "./usr/../../etc/evil", content: Data("x".utf8))]
        let directory = try TemporaryDirectory("deb")
        let deb = directory.path("evil.deb")
        try builder.build().write(to: deb)
        #expect {
            try DebExtractor().extract(deb: deb.path, name: "evil_1.0_amd64.deb", into: directory.path("staging"))
        } throws: { error in
            guard let error = error as? DebianError, case .unsafeDebEntry(let name, let entry) = error else { return false }
            return name == "evil_1.0_amd64.deb" && entry.contains("..")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.url.deletingLastPathComponent().appendingPathComponent("etc/evil").path))
    }

    @Test("truncated, empty and member-less files are refused, naming the .deb")
    func malformed() throws {
        let directory = try TemporaryDirectory("deb")
        let real = SharedTestData.debianMirror.appendingPathComponent("pool/main/n/netbase/netbase_6.4_all.deb")
        let bytes = try Data(contentsOf: real)
        let cases: [(String, Data)] = [
            ("truncated", bytes.prefix(bytes.count / 2)), ("empty", Data()), ("garbage", Data("hello world".utf8)),
            ("nodata", DebBuilder.ar([("debian-binary", Data("2.0\n".utf8))])),
            ("format3", DebBuilder.ar([("debian-binary", Data("3.0\n".utf8))])),
        ]
        for (label, data) in cases {
            let deb = directory.path("\(label).deb")
            try data.write(to: deb)
            #expect(throws: DebianError.self, "\(label)") {
                try DebExtractor().extract(deb: deb.path, name: "\(label)_1_all.deb", into: directory.path("staging-\(label)"))
            }
            do {
                _ = try DebExtractor().extract(deb: deb.path, name: "\(label)_1_all.deb", into: directory.path("staging-\(label)"))
            } catch {
                #expect("\(error)".contains("\(label)_1_all.deb"), "\(error)")
            }
        }
    }

    @Test("the path filter keeps copyright files and drops docs, man, info, locale, lintian")
    func filter() {
        let f = DebPathFilter.distroless
        #expect(f.keeps("usr/bin/python3.11"))
        #expect(f.keeps("usr/share/doc"))  // the directory itself, so copyright files have a parent
        #expect(f.keeps("usr/share/doc/libc6/copyright"))
        #expect(f.keeps("usr/share/doc/libpython3.11-stdlib"))
        #expect(!f.keeps("usr/share/doc/libc6/changelog.Debian.gz"))
        #expect(!f.keeps("usr/share/doc/libc6/examples/x/copyright"))
        #expect(!f.keeps("usr/share/man"))
        #expect(!f.keeps("usr/share/man/man1/ls.1.gz"))
        #expect(!f.keeps("usr/share/info/dir"))
        #expect(!f.keeps("usr/share/locale/de/LC_MESSAGES/x.mo"))
        #expect(!f.keeps("usr/share/lintian/overrides/libc6"))
        #expect(f.keeps("usr/share/mangle"))
        let custom = DebPathFilter(excludedDirectories: ["/usr/share/zoneinfo/right"], keepsCopyright: false)
        #expect(!custom.keeps("usr/share/zoneinfo/right/UTC"))
        #expect(custom.keeps("usr/share/doc/x/changelog"))
    }
}
