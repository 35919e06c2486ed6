import Archive
import Foundation
import Testing
import TestSupport

@testable import Debian

/// What a hostile mirror or package can try beyond tampering: a size it never sends, a release file without
/// end, a package that expands without end, a package that says it is another one, a path given twice.
@Suite struct HostileInputTests {
    static let tenGiB: Int64 = 10 << 30

    @Test("a 10 GiB Content-Length for a package is refused from the headers, naming the size; nothing is kept")
    func hugeContentLength() async throws {
        let root = try TemporaryDirectory("hostile-root")
        let server = try HostileMirror(serving: root.url, lies: ["/pool/main/h/huge/huge_1_amd64.deb": .hugeLength])
        let cacheDirectory = try TemporaryDirectory("hostile-cache")
        let cache = try ContentCache(root: cacheDirectory.url)
        let repository = try DebianRepository(sources: DebianSources(suites: [DebianSuite(name: "bookworm", mirror: server.baseURL)]), cache: cache)
        let download = PackageDownload(
            name: "huge", version: "1", suite: "bookworm", filename: "pool/main/h/huge/huge_1_amd64.deb",
            sha256: String(repeating: "ab", count: 32), size: 4096)
        await #expect { _ = try await repository.fetch([download]) } throws: { error in
            "\(error)".contains("\(Self.tenGiB)") && "\(error)".contains("huge_1_amd64.deb")
        }
        // The error names the announced size, so the refusal came from the headers. How much the server pushed
        // into the socket before the cancel landed depends on the machine's load (URLSession on Linux reads on);
        // what matters is that the client hung up rather than read the 10 GiB.
        let sent = try #require(server.bytesSent("/pool/main/h/huge/huge_1_amd64.deb"), "the server is still sending")
        #expect(sent < Int(Self.tenGiB), "the client read the whole body")
        #expect(CacheSnapshot(cache) == CacheSnapshot(blobs: [], temporary: []))
    }

    /// What is bounded is what distill keeps and parses. The bytes read off the socket are not: URLSession on Linux
    /// queues chunks for its delegate faster than they are handled, so hundreds of MB may pass before the cancel lands.
    @Test("an InRelease without end (1 GiB and on), streamed without a length, is cut at the 32 MiB bound; nothing is kept")
    func endlessInRelease() async throws {
        let root = try TemporaryDirectory("hostile-root")
        let server = try HostileMirror(serving: root.url, lies: ["/dists/bookworm/InRelease": .endless])
        let cacheDirectory = try TemporaryDirectory("hostile-cache")
        let cache = try ContentCache(root: cacheDirectory.url)
        let repository = try DebianRepository(sources: DebianSources(suites: [DebianSuite(name: "bookworm", mirror: server.baseURL)]), cache: cache)
        await #expect { _ = try await repository.loadIndex(architecture: "amd64") } throws: { error in
            "\(error)".contains("\(32 << 20)") && "\(error)".contains("InRelease")
        }
        let sent = try #require(server.bytesSent("/dists/bookworm/InRelease"), "the server is still sending")
        #expect(sent < 16 << 30, "the client never hung up")
        #expect(CacheSnapshot(cache) == CacheSnapshot(blobs: [], temporary: []))
    }

    /// A .deb whose data.tar holds `files` files of `size` zero bytes each (about 1000 to 1 compressed).
    static func bomb(files: Int, size: Int) throws -> Data {
        var builder = DebBuilder()
        builder.files = (0..<files).map { DebBuilder.File(path: "./usr/share/zeros-\($0)", content: Data(count: size)) }
        return try builder.build()
    }

    /// The .deb `builder` makes, but with `data` as its (uncompressed) data.tar.
    static func deb(_ builder: DebBuilder, data: Data) throws -> Data {
        var plain = builder
        plain.compression = .none
        let reader = try ArchiveReader(source: DataSource(try plain.build()), format: .ar, name: "deb")
        var members: [(String, Data)] = []
        while let member = try reader.nextEntry() {
            let name = member.rawPath.hasSuffix("/") ? String(member.rawPath.dropLast()) : member.rawPath
            members.append((name, name == "data.tar" ? data : try reader.readAll(what: name)))
        }
        return DebBuilder.ar(members)
    }

    static func extract(_ deb: Data, _ extractor: DebExtractor = DebExtractor(), expected: (String, String)? = nil) throws -> DebContents {
        let dir = try TemporaryDirectory("hostile-deb")
        try deb.write(to: dir.path("x.deb"))
        return try extractor.extract(deb: dir("x.deb"), name: "x.deb", into: dir.path("staging"), expected: expected)
    }

    @Test("a .deb that expands far past the limit is refused, naming the limit and how to raise it")
    func bombDeb() throws {
        let deb = try Self.bomb(files: 4, size: 16 << 20)
        #expect(deb.count < 1 << 20, "the bomb is \(deb.count) bytes")
        #expect { _ = try Self.extract(deb, DebExtractor(unpackLimit: UnpackLimit(bytes: 20 << 20))) } throws: { error in
            guard case .unpackLimit(let name, let detail) = error as? DebianError else { return false }
            return name == "x.deb" && detail.contains("20 MiB (20971520 bytes)") && detail.contains("DISTILL_UNPACK_LIMIT=")
                && detail.contains("zeros-1")
        }
        _ = try Self.extract(deb, DebExtractor(unpackLimit: UnpackLimit(bytes: 65 << 20)))
    }

    @Test("a .deb entry declaring a terabyte is refused from its header under the default limit")
    func declaredTerabyte() throws {
        let deb = try Self.deb(DebBuilder(), data: ForgedTar.regular(name: "./usr/share/huge", size: 1 << 40))
        #expect { _ = try Self.extract(deb, DebExtractor(unpackLimit: .default)) } throws: { error in
            "\(error)".contains("16 GiB") && "\(error)".contains("huge")
        }
    }

    @Test("a .deb that names another package or version than the index is refused, naming both")
    func otherPackage() throws {
        var builder = DebBuilder()
        builder.files = [DebBuilder.File(path: "./usr/bin/demo", content: Data("#!/bin/sh\n".utf8))]
        let deb = try builder.build()
        #expect(try Self.extract(deb, expected: ("demo", "1.0-1")).package == "demo")
        #expect(try Self.extract(deb, expected: ("demo", "0:1.0-1")).package == "demo")
        #expect { _ = try Self.extract(deb, expected: ("libc6", "1.0-1")) } throws: { error in
            guard case .debMismatch("x.deb", "Package", "libc6", "demo") = error as? DebianError else { return false }
            return "\(error)".contains("'demo'") && "\(error)".contains("'libc6'")
        }
        #expect { _ = try Self.extract(deb, expected: ("demo", "1.0-2")) } throws: { error in
            if case .debMismatch("x.deb", "Version", "1.0-2", "1.0-1") = error as? DebianError { return true }
            return false
        }
    }

    @Test("a .deb holding one path twice is refused; a folder listed twice is not", arguments: [
        [DebBuilder.File(path: "./usr/bin/demo", content: Data("a".utf8)), DebBuilder.File(path: "./usr/bin/demo", content: Data("b".utf8))],
        [DebBuilder.File(path: "./usr/lib", kind: .directory), DebBuilder.File(path: "./usr/lib", kind: .symlink(target: "/etc"))],
        [DebBuilder.File(path: "./usr/bin/demo"), DebBuilder.File(path: "usr/bin/demo", kind: .hardlink(target: "usr/bin/demo"))],
    ])
    func duplicatePaths(_ files: [DebBuilder.File]) throws {
        var builder = DebBuilder()
        builder.files = files
        #expect { _ = try Self.extract(try builder.build()) } throws: { error in
            guard case .malformedDeb("x.deb", let reason) = error as? DebianError else { return false }
            return reason.contains("twice")
        }
        builder.files = [DebBuilder.File(path: "./usr/", kind: .directory), DebBuilder.File(path: "./usr/", kind: .directory)]
        _ = try Self.extract(try builder.build())
    }
}
