import Foundation
import Testing
import TestSupport

@testable import Debian

@Suite("distill.lock")
struct LockFileTests {
    static let inputs = LockInputs(
        distro: "debian12", suites: ["bookworm", "bookworm-updates", "bookworm-security"], architectures: ["amd64", "arm64"],
        packages: ["base-files", "libc6", "libpq5"], policy: .distroless)

    static let lock = LockFile(
        inputs: inputs,
        packages: [
            "amd64": [
                LockedPackage(
                    name: "libc6", version: "2.36-9+deb12u14", architecture: "amd64", suite: "bookworm-security",
                    filename: "pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb", sha256: String(repeating: "1", count: 64), size: 2_757_936),
                LockedPackage(
                    name: "base-files", version: "12.4+deb12u15", architecture: "amd64", suite: "bookworm",
                    filename: "pool/main/b/base-files/base-files_12.4+deb12u15_amd64.deb", sha256: String(repeating: "2", count: 64), size: 70_000),
            ],
            "arm64": [],
        ])

    @Test("round-trips through its file format; packages sorted; keys sorted")
    func roundTrip() throws {
        #expect(Self.lock.packages["amd64"]?.map(\.name) == ["base-files", "libc6"])
        let directory = try TemporaryDirectory("lock")
        let url = directory.path("distill.lock")
        try Self.lock.write(to: url)
        #expect(try LockFile.read(from: url) == Self.lock)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"filename\" : \"pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb\""))
        let keys = text.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("\"fingerprint\"") || t.hasPrefix("\"inputs\"") || t.hasPrefix("\"lockVersion\"") || t.hasPrefix("\"packages\" : {")
                ? String(t.prefix(while: { $0 != ":" })) : nil
        }
        #expect(keys == ["\"fingerprint\" ", "\"inputs\" ", "\"lockVersion\" ", "\"packages\" "])
        // Written atomically: no temporary file is left beside it.
        #expect(TemporaryDirectory.files(below: directory.url) == ["distill.lock"])
        // The same lock always encodes to the same bytes.
        #expect(Self.lock.encoded() == LockFile(inputs: Self.inputs, packages: Self.lock.packages).encoded())
    }

    @Test("reads a lock with CRLF line ends and a byte-order mark")
    func lineEndings() throws {
        let directory = try TemporaryDirectory("lock")
        let url = directory.path("distill.lock")
        let crlf = String(decoding: Self.lock.encoded(), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(crlf.utf8)).write(to: url)
        let read = try LockFile.read(from: url)
        #expect(read == Self.lock)
        try read.check(against: Self.inputs, file: url.path)
    }

    @Test("a lock for other inputs is refused with the message that says what to do")
    func mismatch() throws {
        var more = Self.inputs
        more.packages.append("libsqlite3-0")
        #expect {
            try Self.lock.check(against: more, file: "distill.lock")
        } throws: { error in
            (error as? DebianError)?.description == "distill.lock was made for a different package list: run with --update-lock"
        }
        var otherDistro = Self.inputs
        otherDistro.distro = "debian13"
        #expect(throws: DebianError.self) { try Self.lock.check(against: otherDistro, file: "distill.lock") }
        var otherSuites = Self.inputs
        otherSuites.suites = ["bookworm"]
        #expect(throws: DebianError.self) { try Self.lock.check(against: otherSuites, file: "distill.lock") }
        var moreArchs = Self.inputs
        moreArchs.architectures.append("riscv64")
        #expect {
            try Self.lock.check(against: moreArchs, file: "distill.lock")
        } throws: { error in
            (error as? DebianError)?.description.contains("it has no riscv64 packages") == true
        }
        var policy = ResolutionPolicy.distroless
        policy.excluded.append("libpq5")
        let otherPolicy = LockInputs(
            distro: Self.inputs.distro, suites: Self.inputs.suites, architectures: Self.inputs.architectures, packages: Self.inputs.packages,
            policy: policy)
        #expect(throws: DebianError.self) { try Self.lock.check(against: otherPolicy, file: "distill.lock") }
        #expect(Self.inputs.fingerprint != more.fingerprint)
        #expect(Self.inputs.fingerprint == LockInputs(
            distro: "debian12", suites: ["bookworm", "bookworm-updates", "bookworm-security"], architectures: ["amd64", "arm64"],
            packages: ["base-files", "libc6", "libpq5"], policy: .distroless).fingerprint)
    }

    @Test("malformed locks name the file and the place", arguments: ["{", "{}", "{\"lockVersion\": \"one\"}", ""])
    func malformed(text: String) throws {
        let directory = try TemporaryDirectory("lock")
        let url = directory.path("distill.lock")
        try Data(text.utf8).write(to: url)
        #expect {
            try LockFile.read(from: url)
        } throws: { error in
            guard let error = error as? DebianError, case .lockMalformed(let file, _) = error else { return false }
            return file == url.path && error.description.contains("--update-lock")
        }
    }

    @Test("downloads come from the locked entries")
    func downloads() {
        let downloads = Self.lock.downloads(for: "amd64")
        #expect(downloads?.map(\.suite) == ["bookworm", "bookworm-security"])
        #expect(downloads?.last?.size == 2_757_936)
        #expect(Self.lock.downloads(for: "arm64") == [])
        #expect(Self.lock.downloads(for: "s390x") == nil)
    }
}

/// Every Codable model encodes and decodes to an equal value.
@Suite("Codable round trips")
struct CodableRoundTripTests {
    static func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONDecoder().decode(T.self, from: encoder.encode(value))
    }

    @Test("lock models, sources, policy, downloads, versions and enums")
    func models() throws {
        #expect(try Self.roundTrip(LockFileTests.lock) == LockFileTests.lock)
        #expect(try Self.roundTrip(LockFileTests.inputs) == LockFileTests.inputs)
        let locked = try #require(LockFileTests.lock.packages["amd64"]?.first)
        #expect(try Self.roundTrip(locked) == locked)
        #expect(try Self.roundTrip(locked.download) == locked.download)
        let sources = DebianSources.standard(distro: .debian13, mirror: "http://mirror.example/debian/")
        #expect(try Self.roundTrip(sources) == sources)
        #expect(try Self.roundTrip(sources.suites[0]) == sources.suites[0])
        #expect(try Self.roundTrip(ResolutionPolicy.distroless) == ResolutionPolicy.distroless)
        #expect(try Self.roundTrip(DebianVersion("1:2.3~rc1-4+b1")) == DebianVersion("1:2.3~rc1-4+b1"))
        #expect(try Self.roundTrip(DebianVersion("1:2.3~rc1-4+b1")).string == "1:2.3~rc1-4+b1")
        for value in [MultiArch.no, .same, .foreign, .allowed] { #expect(try Self.roundTrip(value) == value) }
        for value in RelationOperator.allCases { #expect(try Self.roundTrip(value) == value) }
        for value in DebianDistro.allCases { #expect(try Self.roundTrip(value) == value) }
        #expect(try Self.roundTrip(ControlField(name: "Package", value: "x")) == ControlField(name: "Package", value: "x"))
    }

    @Test("a malformed version in JSON is a decoding error")
    func badVersion() {
        #expect(throws: (any Error).self) { try JSONDecoder().decode([DebianVersion].self, from: Data("[\"1.0 2\"]".utf8)) }
    }
}

extension LockFileTests {
    @Test("a lock entry whose sha256 or pool path climbs out is refused by the lock file's and the package's name",
          arguments: [
            ("sha256", "../../../../tmp/evil.deb"), ("sha256", String(repeating: "A", count: 64)),
            ("sha256", String(repeating: "1", count: 63)), ("filename", "../../etc/passwd"),
            ("filename", "/etc/passwd"), ("filename", "http://evil.example/x.deb"),
          ])
    func hostileEntries(field: String, value: String) throws {
        let directory = try TemporaryDirectory("lock")
        let url = directory.path("distill.lock")
        var packages = Self.lock.packages
        var libc = packages["amd64"]![1]
        #expect(libc.name == "libc6")
        if field == "sha256" { libc.sha256 = value } else { libc.filename = value }
        packages["amd64"]![1] = libc
        try LockFile(inputs: Self.inputs, packages: packages).write(to: url)
        #expect {
            _ = try LockFile.read(from: url)
        } throws: { error in
            let text = "\(error)"
            return text.contains(url.path) && text.contains("libc6") && text.contains(value)
        }
    }

    @Test("the cache refuses a digest that is not 64 lowercase hex digits instead of naming a path with it")
    func cacheRefusesPathDigests() throws {
        let directory = try TemporaryDirectory("cache")
        let cache = try ContentCache(root: directory.url)
        #expect(throws: DebianError.self) { try cache.path(sha256: "../../../../tmp/evil.deb") }
        #expect(!cache.contains(sha256: "../../../../tmp/evil.deb"))
        #expect(try cache.path(sha256: String(repeating: "a", count: 64)).hasSuffix("/blobs/sha256/" + String(repeating: "a", count: 64)))
    }
}
