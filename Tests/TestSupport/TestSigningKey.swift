import Foundation

/// An OpenPGP signing key made for one test run with gpg, to sign release files the frozen mirror does
/// not have (expired, dated in the future, older than a cached one, two messages in one file).
public final class TestSigningKey: @unchecked Sendable {
    /// gpg's home holding the secret key.
    public let home: TemporaryDirectory
    /// A binary keyring holding the public key, for the verifier.
    public let keyringPath: String

    /// Generates an ed25519 signing key (a fraction of a second).
    public init() throws {
        home = try TemporaryDirectory("gnupg")
        chmod(home.path, 0o700)
        try Tool.check(["gpg", "--homedir", home.path, "--batch", "--quiet", "--passphrase", "", "--quick-gen-key",
                        "distill test <test@distill.invalid>", "ed25519", "sign", "never"])
        keyringPath = home("trusted.gpg")
        try Tool.check(["gpg", "--homedir", home.path, "--batch", "--quiet", "--output", keyringPath, "--export"])
    }

    /// `text` cleartext-signed with the key, using `digest` (SHA256 unless a test wants a weak one).
    public func clearsign(_ text: String, digest: String = "SHA256") throws -> Data {
        let input = home("input-\(UUID().uuidString)")
        let output = input + ".asc"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        try Tool.check(["gpg", "--homedir", home.path, "--batch", "--quiet", "--yes", "--digest-algo", digest,
                        "--output", output, "--clearsign", input])
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    /// A minimal Release text for `codename` with the given dates (RFC 2822, UTC) and no indexes.
    public static func release(codename: String, date: Date, validUntil: Date? = nil) -> String {
        var text = "Origin: Debian\nLabel: Debian\nSuite: stable\nCodename: \(codename)\nDate: \(rfc2822(date))\n"
        if let validUntil { text += "Valid-Until: \(rfc2822(validUntil))\n" }
        text += "Architectures: amd64\nComponents: main\nSHA256:\n \(String(repeating: "0", count: 64)) 0 main/binary-amd64/Packages\n"
        return text
    }

    public static func rfc2822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}
