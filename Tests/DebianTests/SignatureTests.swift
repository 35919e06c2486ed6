import Foundation
import SystemSupport
import Testing
import TestSupport

@testable import Debian

@Suite("InRelease signatures and release files")
struct SignatureTests {
    static let inRelease = SharedTestData.debianMirror.appendingPathComponent("dists/bookworm/InRelease").path

    @Test("gpgv and sqv hand back the same signed text, and nothing outside the signature")
    func verifiersAgree() async throws {
        let scratch = try TemporaryDirectory("scratch")
        let gpgv = try SignatureVerifier(tool: .gpgv(path: try #require(ChildProcess.find("gpgv"))))
        let viaGpgv = try await gpgv.verifiedContent(ofClearsigned: Self.inRelease, name: "InRelease", scratch: scratch.url)
        let text = String(decoding: viaGpgv, as: UTF8.self)
        #expect(text.hasPrefix("Origin: Debian\n"))
        #expect(!text.contains("BEGIN PGP"))
        if let sqvPath = ChildProcess.find("sqv") {
            let viaSqv = try await SignatureVerifier(tool: .sqv(path: sqvPath)).verifiedContent(ofClearsigned: Self.inRelease, name: "InRelease", scratch: scratch.url)
            #expect(String(decoding: viaSqv, as: UTF8.self).trimmingBlanks() == text.trimmingBlanks())
        }
        #expect(TemporaryDirectory.files(below: scratch.url).isEmpty)
    }

    @Test("a keyring holding only one of the signing keys is enough (other signatures are ignored, like apt)")
    func partialKeyring() async throws {
        let keyring = "/usr/share/keyrings/debian-archive-bookworm-automatic.gpg"
        guard FileManager.default.fileExists(atPath: keyring) else { return }
        let scratch = try TemporaryDirectory("scratch")
        let verifier = try SignatureVerifier(keyring: Keyring(path: keyring), tool: .gpgv(path: try #require(ChildProcess.find("gpgv"))))
        let data = try await verifier.verifiedContent(ofClearsigned: Self.inRelease, name: "InRelease", scratch: scratch.url)
        #expect(try ReleaseFile(parsing: data, file: "InRelease").codename == "bookworm")
    }

    @Test("a missing keyring file and a missing tool are clear errors")
    func missing() async throws {
        let scratch = try TemporaryDirectory("scratch")
        let noKeyring = try SignatureVerifier(keyring: Keyring(path: "/nonexistent/keyring.gpg"))
        await #expect {
            try await noKeyring.verifiedContent(ofClearsigned: Self.inRelease, name: "http://x/InRelease", scratch: scratch.url)
        } throws: { error in
            (error as? DebianError)?.description.contains("keyring file does not exist") == true
        }
        let noTool = try SignatureVerifier(tool: .gpgv(path: "/nonexistent/gpgv"))
        await #expect(throws: DebianError.self) {
            try await noTool.verifiedContent(ofClearsigned: Self.inRelease, name: "InRelease", scratch: scratch.url)
        }
        #expect(DebianError.noSignatureVerifier.description.contains("apt-get install gpgv"))
    }

    @Test("the bundled keyring is the Debian archive keyring")
    func bundledKeyring() {
        #expect(Keyring.debianArchive.path.hasSuffix("debian-archive-keyring.gpg"))
        #expect(FileManager.default.fileExists(atPath: Keyring.debianArchive.path))
    }

    @Test("release files: checksums, suite check, Valid-Until")
    func releaseFile() async throws {
        let text = """
            Origin: Debian
            Suite: oldstable-security
            Codename: bookworm-security
            Date: Sat, 11 Jul 2026 10:16:37 UTC
            Valid-Until: Sat, 18 Jul 2026 10:16:37 UTC
            Architectures: amd64 arm64
            Components: main
            SHA256:
             \(String(repeating: "ab", count: 32)) 1234 main/binary-amd64/Packages.xz
             \(String(repeating: "cd", count: 32))   99 main/binary-amd64/Release

            """
        let release = try ReleaseFile(parsing: Data(text.utf8), file: "InRelease")
        #expect(release.sha256["main/binary-amd64/Packages.xz"] == IndexChecksum(sha256: String(repeating: "ab", count: 32), size: 1234))
        #expect(release.architectures == ["amd64", "arm64"])
        let before = try #require(ReleaseFile.parseDate("Fri, 17 Jul 2026 00:00:00 UTC"))
        let after = try #require(ReleaseFile.parseDate("Sun, 19 Jul 2026 00:00:00 +0000"))
        try release.check(suite: "bookworm-security", now: before, file: "InRelease")
        try release.check(suite: "oldstable-security", now: nil, file: "InRelease")
        #expect {
            try release.check(suite: "bookworm-security", now: after, file: "http://m/dists/bookworm-security/InRelease")
        } throws: { error in
            (error as? DebianError)?.description.contains("expired on Sat, 18 Jul 2026 10:16:37 UTC") == true
        }
        #expect {
            try release.check(suite: "bookworm", now: before, file: "InRelease")
        } throws: { error in
            if case .releaseMismatch(_, "bookworm", _) = error as? DebianError { return true }
            return false
        }
    }

    @Test("the frozen release files have no Valid-Until, so today's date passes")
    func frozenValidity() async throws {
        let scratch = try TemporaryDirectory("scratch")
        let data = try await SignatureVerifier().verifiedContent(ofClearsigned: Self.inRelease, name: "InRelease", scratch: scratch.url)
        let release = try ReleaseFile(parsing: data, file: "InRelease")
        #expect(release.validUntil == nil)
        try release.check(suite: "bookworm", now: Date(), file: "InRelease")
        #expect(release.sha256["main/binary-arm64/Packages.xz"]?.size == 8_689_464)
    }

    @Test("cleartext splitting handles CRLF and dash-escaped lines")
    func clearsigned() async throws {
        let text = "-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\nSuite: x  \r\n- -----not armor\r\n-----BEGIN PGP SIGNATURE-----\r\n\r\nabc\r\n-----END PGP SIGNATURE-----\r\n"
        let message = try ClearsignedMessage(Data(text.utf8), file: "InRelease")
        #expect(String(decoding: message.message, as: UTF8.self) == "Suite: x\n-----not armor")
        #expect(String(decoding: message.signature, as: UTF8.self).hasSuffix("-----END PGP SIGNATURE-----\n"))
        #expect(throws: DebianError.self) { try ClearsignedMessage(Data("Suite: x\n".utf8), file: "InRelease") }
    }
}
