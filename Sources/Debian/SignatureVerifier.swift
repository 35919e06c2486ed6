import Foundation

/// An OpenPGP keyring file of trusted signing keys.
public struct Keyring: Sendable, Equatable {
    /// Path to a binary (`.gpg`) keyring.
    public let path: String

    public init(path: String) { self.path = path }

    /// The Debian archive keyring shipped with distill.
    public static var debianArchive: Keyring {
        Keyring(path: Bundle.module.path(forResource: "debian-archive-keyring", ofType: "gpg") ?? "/usr/share/keyrings/debian-archive-keyring.gpg")
    }
}

/// The program that checks signatures: Debian's `gpgv`, or Sequoia's `sqv`.
public enum SignatureTool: Sendable, Equatable {
    case gpgv(path: String)
    case sqv(path: String)

    /// gpgv if installed, else sqv, else nil.
    public static func installed() -> SignatureTool? {
        if let path = ProcessRunner.find("gpgv") { return .gpgv(path: path) }
        if let path = ProcessRunner.find("sqv") { return .sqv(path: path) }
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
    public func verifiedContent(ofClearsigned path: String, name: String, scratch: URL) throws(DebianError) -> Data {
        guard FileManager.default.fileExists(atPath: keyring.path) else {
            throw .signatureInvalid(file: name, keyring: keyring.path, detail: "the keyring file does not exist")
        }
        switch tool {
        case .gpgv(let gpgv): return try verifyWithGpgv(gpgv, path: path, name: name, scratch: scratch)
        case .sqv(let sqv): return try verifyWithSqv(sqv, path: path, name: name, scratch: scratch)
        }
    }

    private func verifyWithGpgv(_ gpgv: String, path: String, name: String, scratch: URL) throws(DebianError) -> Data {
        let output = scratch.appendingPathComponent("verified-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try ProcessRunner.run(
            gpgv, ["--status-fd", "1", "--keyring", keyring.path, "--output", output.path, path], scratch: scratch)
        let status = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
        // gpgv reports GOODSIG only for a valid signature by an unexpired, unrevoked key of the keyring
        // (EXPKEYSIG, REVKEYSIG and EXPSIG replace it otherwise).
        let good = status.filter { $0.hasPrefix("[GNUPG:] GOODSIG ") }
        let bad = status.filter { $0.hasPrefix("[GNUPG:] BADSIG ") }
        // Like apt: at least one good signature and no bad one. Signatures by keys outside the keyring
        // (NO_PUBKEY) or by expired keys are worthless but not fatal; gpgv alone reports them as failures.
        guard !good.isEmpty, bad.isEmpty else {
            throw .signatureInvalid(file: name, keyring: keyring.path, detail: Self.summary(result.stderr, status: result.status))
        }
        guard let data = FileManager.default.contents(atPath: output.path), !data.isEmpty else {
            throw .signatureInvalid(file: name, keyring: keyring.path, detail: "gpgv wrote no verified content")
        }
        return data
    }

    private func verifyWithSqv(_ sqv: String, path: String, name: String, scratch: URL) throws(DebianError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(path: path, reason: "cannot read") }
        let parts = try ClearsignedMessage(data, file: name)
        let id = UUID().uuidString
        let messageURL = scratch.appendingPathComponent("message-\(id)")
        let signatureURL = scratch.appendingPathComponent("signature-\(id).asc")
        defer {
            try? FileManager.default.removeItem(at: messageURL)
            try? FileManager.default.removeItem(at: signatureURL)
        }
        do {
            try parts.message.write(to: messageURL)
            try parts.signature.write(to: signatureURL)
        } catch {
            throw .io(path: scratch.path, reason: "cannot write temporary files: \(error.localizedDescription)")
        }
        let result = try ProcessRunner.run(sqv, ["--keyring", keyring.path, signatureURL.path, messageURL.path], scratch: scratch)
        guard result.status == 0 else {
            throw .signatureInvalid(file: name, keyring: keyring.path, detail: Self.summary(result.stderr, status: result.status))
        }
        // sqv verified exactly these bytes: they are what gets parsed.
        return parts.message
    }

    private static func summary(_ stderr: String, status: Int32) -> String {
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let text = lines.suffix(3).joined(separator: "; ")
        return text.isEmpty ? "verifier exited with status \(status)" : text
    }
}
