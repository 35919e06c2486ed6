import Foundation
import ImageFormat
import SystemSupport
import Testing
import TestSupport

@testable import Debian

/// What a release file must be before anything in it is used: signed once, with a strong digest, by a
/// key of the keyring; not expired, not from the future, not older than the one verified before.
@Suite("Release file trust: gpgv status, digests, dates, rollback, the pinned keyring")
struct ReleaseTrustTests {
    static let key: TestSigningKey = try! TestSigningKey()
    static let day: TimeInterval = 86_400

    func verifier() throws -> SignatureVerifier {
        try SignatureVerifier(keyring: Keyring(path: Self.key.keyringPath), tool: .gpgv(path: try #require(ChildProcess.find("gpgv"))))
    }

    func file(_ data: Data) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory("release")
        let path = directory("InRelease")
        try data.write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    @Test("one message signed by a key of the keyring is accepted, and only its text is returned")
    func goodSignature() async throws {
        let text = TestSigningKey.release(codename: "bookworm", date: Date())
        let (directory, path) = try file(try Self.key.clearsign(text))
        let verified = try await verifier().verifiedContent(ofClearsigned: path, name: "InRelease", scratch: directory.url)
        #expect(String(decoding: verified, as: UTF8.self).hasPrefix("Origin: Debian\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["InRelease"], "private scratch left behind")
    }

    @Test("a signed message followed by a second one is refused (gpgv: GOODSIG, then ERROR and exit 2)")
    func twoMessages() async throws {
        let first = try Self.key.clearsign(TestSigningKey.release(codename: "bookworm", date: Date()))
        let second = try Self.key.clearsign("Origin: Evil\nCodename: bookworm\n")
        let (directory, path) = try file(first + second)
        await #expect {
            _ = try await verifier().verifiedContent(ofClearsigned: path, name: "http://mirror/InRelease", scratch: directory.url)
        } throws: { error in
            "\(error)".contains("http://mirror/InRelease") && "\(error)".contains("ERROR")
        }
        #expect(throws: DebianError.self) { _ = try ClearsignedMessage(first + second, file: "InRelease") }
    }

    @Test("a signature made with SHA1 is refused as apt refuses it")
    func weakDigest() async throws {
        let (directory, path) = try file(try Self.key.clearsign(TestSigningKey.release(codename: "bookworm", date: Date()), digest: "SHA1"))
        await #expect {
            _ = try await verifier().verifiedContent(ofClearsigned: path, name: "InRelease", scratch: directory.url)
        } throws: { error in
            "\(error)".contains("weak digest SHA1")
        }
    }

    @Test("gpgv's status is judged line by line", arguments: [
        (["[GNUPG:] NEWSIG", "[GNUPG:] GOODSIG AB k", "[GNUPG:] VALIDSIG FPR 2026-01-01 1 0 4 0 1 8 01 FPR"], 0, true),
        (["[GNUPG:] NEWSIG", "[GNUPG:] GOODSIG AB k", "[GNUPG:] VALIDSIG FPR 2026-01-01 1 0 4 0 1 8 01 FPR",
          "[GNUPG:] NEWSIG", "[GNUPG:] ERRSIG CD 1 8 01 1 9 FPR2", "[GNUPG:] NO_PUBKEY CD"], 2, true),
        (["[GNUPG:] NEWSIG", "[GNUPG:] GOODSIG AB k", "[GNUPG:] VALIDSIG FPR 2026-01-01 1 0 4 0 1 8 01 FPR"], 2, false),
        (["[GNUPG:] NEWSIG", "[GNUPG:] ERRSIG CD 1 8 01 1 9 FPR2", "[GNUPG:] NO_PUBKEY CD"], 2, false),
        (["[GNUPG:] NEWSIG", "[GNUPG:] BADSIG AB k"], 1, false),
        (["[GNUPG:] NEWSIG", "[GNUPG:] EXPKEYSIG AB k", "[GNUPG:] VALIDSIG FPR 2026-01-01 1 0 4 0 1 8 01 FPR"], 0, false),
        ([], 0, false),
    ])
    func statusRules(lines: [String], exit: Int32, accepted: Bool) {
        #expect(GpgvStatus(lines: lines.map { Substring($0) }, exitStatus: exit).isAccepted == accepted)
    }

    @Test("the shipped keyring is pinned by digest: a replaced keyring file is refused")
    func pinnedKeyring() async throws {
        let directory = try TemporaryDirectory("keyring")
        let tampered = directory("debian-archive-keyring.gpg")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Keyring.debianArchive.path))
        #expect(Digest.sha256(of: bytes).encoded == Keyring.debianArchiveSHA256)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: tampered))
        let inRelease = SharedTestData.debianMirror.appendingPathComponent("dists/bookworm/InRelease").path
        let verifier = try SignatureVerifier(keyring: Keyring(path: tampered, sha256: Keyring.debianArchiveSHA256))
        await #expect {
            _ = try await verifier.verifiedContent(ofClearsigned: inRelease, name: "InRelease", scratch: directory.url)
        } throws: { error in
            "\(error)".contains("replaced")
        }
        // The genuine one verifies the frozen mirror.
        _ = try await SignatureVerifier().verifiedContent(ofClearsigned: inRelease, name: "InRelease", scratch: directory.url)
    }

    /// Serves `dists/bookworm/InRelease` (whatever the test writes there) from a fresh mirror folder.
    final class Mirror: @unchecked Sendable {
        let root: TemporaryDirectory
        let server: LocalHTTPServer
        init() throws {
            root = try TemporaryDirectory("mirror")
            try FileManager.default.createDirectory(atPath: root("dists/bookworm"), withIntermediateDirectories: true)
            server = try LocalHTTPServer(serving: root.url)
        }
        func publish(_ data: Data) throws { try data.write(to: URL(fileURLWithPath: root("dists/bookworm/InRelease"))) }
        var sources: DebianSources { .standard(distro: .debian12, mirror: server.baseURL, suites: ["bookworm"]) }
    }

    func release(from mirror: Mirror, cache: ContentCache) async throws -> ReleaseFile {
        let repository = try DebianRepository(
            sources: mirror.sources, cache: cache, keyring: Keyring(path: Self.key.keyringPath), options: RepositoryOptions(validityDate: Date()))
        return try await repository.release(of: mirror.sources.suites[0])
    }

    @Test("an expired release (Valid-Until passed) and one dated in the future are refused, with suites named")
    func dates() async throws {
        let mirror = try Mirror()
        let directory = try TemporaryDirectory("cache")
        let cache = try ContentCache(root: directory.url)
        try mirror.publish(try Self.key.clearsign(TestSigningKey.release(
            codename: "bookworm", date: Date() - 30 * Self.day, validUntil: Date() - 20 * Self.day)))
        await #expect { _ = try await release(from: mirror, cache: cache) } throws: { error in
            guard case .releaseExpired = error as? DebianError else { return false }
            return true
        }
        try mirror.publish(try Self.key.clearsign(TestSigningKey.release(codename: "bookworm", date: Date() + 2 * Self.day)))
        await #expect { _ = try await release(from: mirror, cache: cache) } throws: { error in
            guard case .releaseFromFuture = error as? DebianError else { return false }
            return true
        }
        #expect(TemporaryDirectory.files(below: directory.url.appendingPathComponent("blobs")).isEmpty, "a refused release was cached")
    }

    @Test("a release older than the one verified before for the same suite is a rollback, refused; the newer stays cached")
    func rollback() async throws {
        let mirror = try Mirror()
        let directory = try TemporaryDirectory("cache")
        let cache = try ContentCache(root: directory.url)
        try mirror.publish(try Self.key.clearsign(TestSigningKey.release(codename: "bookworm", date: Date() - 1 * Self.day)))
        let newer = try await release(from: mirror, cache: cache)
        try mirror.publish(try Self.key.clearsign(TestSigningKey.release(codename: "bookworm", date: Date() - 5 * Self.day)))
        await #expect { _ = try await release(from: mirror, cache: cache) } throws: { error in
            guard case .releaseRollback = error as? DebianError else { return false }
            return "\(error)".contains("rollback")
        }
        // The same release again is fine, and so is a newer one.
        try mirror.publish(try Self.key.clearsign(TestSigningKey.release(codename: "bookworm", date: Date())))
        let newest = try await release(from: mirror, cache: cache)
        #expect(newest.date! > newer.date!)
    }
}
