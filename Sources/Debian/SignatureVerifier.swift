import Foundation
import ImageFormat
import SystemSupport

/// An OpenPGP keyring file of trusted signing keys.
public struct Keyring: Sendable, Equatable {
    /// Path to a binary (`.gpg`) keyring.
    public let path: String
    /// When set, the keyring's bytes must hash to this, or nothing is verified with it.
    public let sha256: String?

    public init(path: String, sha256: String? = nil) {
        self.path = path
        self.sha256 = sha256
    }

    /// The sha256 of the Debian archive keyring distill ships (debian-archive-keyring 2023.3+deb12u2).
    public static let debianArchiveSHA256 = "506b815cbb32d9b6066b4a2aa524071e071761e7e7f68c3ac74f3061ba852017"

    /// The Debian archive keyring shipped with distill, pinned by digest: whoever can write next to the
    /// binary cannot swap in keys of their own.
    public static var debianArchive: Keyring {
        Keyring(
            path: Bundle.module.path(forResource: "debian-archive-keyring", ofType: "gpg") ?? "/usr/share/keyrings/debian-archive-keyring.gpg",
            sha256: debianArchiveSHA256)
    }

    /// The keyring to hand the verifier: a pinned keyring is read once, checked, and copied into
    /// `privateDirectory`, so the file checked is the file used; an unpinned one is used where it is.
    func verifiedPath(in privateDirectory: String, for file: String) throws(DebianError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .signatureInvalid(file: file, keyring: path, detail: "the keyring file does not exist")
        }
        guard let sha256 else { return path }
        guard let handle = FileHandle(forReadingAtPath: path),
              let bytes = try? handle.read(upToCount: 4 << 20), (try? handle.close()) != nil
        else {
            throw .io(path: path, reason: "cannot read the keyring")
        }
        let actual = Digest.sha256(of: bytes).encoded
        guard actual == sha256 else {
            throw .signatureInvalid(
                file: file, keyring: path,
                detail: "the keyring's sha256 is \(actual), not the \(sha256) distill was built with; it was replaced — reinstall distill")
        }
        let copy = privateDirectory + "/trusted.gpg"
        guard FileManager.default.createFile(atPath: copy, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw .io(path: copy, reason: "cannot write a private copy of the keyring")
        }
        return copy
    }
}

/// The program that checks signatures: Debian's `gpgv`, or Sequoia's `sqv`.
public enum SignatureTool: Sendable, Equatable {
    case gpgv(path: String)
    case sqv(path: String)

    /// gpgv if installed, else sqv, else nil.
    public static func installed() -> SignatureTool? {
        if let path = ChildProcess.find("gpgv") { return .gpgv(path: path) }
        if let path = ChildProcess.find("sqv") { return .sqv(path: path) }
        return nil
    }
}

/// Verifies cleartext-signed release files (InRelease) and hands back only the signed text.
public struct SignatureVerifier: Sendable {
    public let keyring: Keyring
    public let tool: SignatureTool

    /// Uses `tool`, or the installed one; throws ``DebianError/noSignatureVerifier`` if there is none.
    public init(keyring: Keyring = .debianArchive, tool: SignatureTool? = nil) throws(DebianError) {
        guard let tool = tool ?? SignatureTool.installed() else { throw .noSignatureVerifier }
        self.keyring = keyring
        self.tool = tool
    }

    /// Verifies the cleartext-signed file at `path` and returns the text the signature covers.
    ///
    /// `name` (usually the URL) is used in errors; `scratch` is a directory for temporary files.
    public func verifiedContent(ofClearsigned path: String, name: String, scratch: URL) async throws(DebianError) -> Data {
        // A private folder per verification: gpgv's home, the keyring copy and the verified text are ours alone.
        let home: PrivateDirectory
        do {
            home = try PrivateDirectory(prefix: "verify", under: scratch.path)
        } catch {
            throw .io(path: scratch.path, reason: "\(error)")
        }
        defer { try? home.remove() }
        let keyringPath = try keyring.verifiedPath(in: home.path, for: name)
        switch tool {
        case .gpgv(let gpgv): return try await verifyWithGpgv(gpgv, keyring: keyringPath, path: path, name: name, home: home.path)
        case .sqv(let sqv): return try await verifyWithSqv(sqv, keyring: keyringPath, path: path, name: name, home: home.path)
        }
    }

    private func verifyWithGpgv(_ gpgv: String, keyring keyringPath: String, path: String, name: String, home: String) async throws(DebianError) -> Data {
        // `--homedir`: gpgv never reads a user's own trustedkeys, only the keyring named here.
        let output = home + "/verified"
        let result = try await Self.run(gpgv, ["--homedir", home, "--status-fd", "1", "--keyring", keyringPath, "--output", output, path])
        let status = GpgvStatus(lines: String(decoding: result.stdout, as: UTF8.self).split(separator: "\n"), exitStatus: result.status)
        guard status.isAccepted else {
            throw .signatureInvalid(
                file: name, keyring: keyring.path,
                detail: status.problems.joined(separator: "; ") + " — " + Self.summary(result.stderr, status: result.status))
        }
        guard let data = FileManager.default.contents(atPath: output), !data.isEmpty else {
            throw .signatureInvalid(file: name, keyring: keyring.path, detail: "gpgv wrote no verified content")
        }
        return data
    }

    private func verifyWithSqv(_ sqv: String, keyring keyringPath: String, path: String, name: String, home: String) async throws(DebianError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(path: path, reason: "cannot read") }
        let parts = try ClearsignedMessage(data, file: name)
        let messagePath = home + "/message"
        let signaturePath = home + "/signature.asc"
        guard FileManager.default.createFile(atPath: messagePath, contents: parts.message),
              FileManager.default.createFile(atPath: signaturePath, contents: parts.signature)
        else {
            throw .io(path: home, reason: "cannot write temporary files")
        }
        let result = try await Self.run(sqv, ["--keyring", keyringPath, signaturePath, messagePath])
        guard result.status == 0 else {
            throw .signatureInvalid(file: name, keyring: keyring.path, detail: Self.summary(result.stderr, status: result.status))
        }
        // sqv verified exactly these bytes: they are what gets parsed.
        return parts.message
    }

    private static func run(_ tool: String, _ arguments: [String]) async throws(DebianError) -> ChildProcess.Output {
        do {
            return try await ChildProcess.run(tool, arguments)
        } catch {
            throw .io(path: tool, reason: error.description)
        }
    }

    private static func summary(_ stderr: String, status: Int32) -> String {
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let text = lines.suffix(3).joined(separator: "; ")
        return text.isEmpty ? "verifier exited with status \(status)" : text
    }
}
