import Foundation

/// An OpenPGP cleartext-signed document (InRelease) split into the signed text and a detached signature.
///
/// Only needed for `sqv`, which verifies detached signatures; the text it verifies is exactly
/// the text distill then parses, so nothing outside the signature is ever read.
public struct ClearsignedMessage: Sendable {
    /// The signed text as RFC 4880 §7.1 defines it: dash-unescaped, trailing blanks removed, no final line break.
    public var message: Data
    /// The ASCII-armored signature block.
    public var signature: Data

    /// Splits `data`; `file` names it in errors.
    public init(_ data: Data, file: String) throws(DebianError) {
        // Split on bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> Substring in
            Substring(String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self))
        }[...]
        func fail(_ reason: String) -> DebianError {
            .signatureInvalid(file: file, keyring: "-", detail: "not a cleartext-signed file: \(reason)")
        }
        guard lines.first == "-----BEGIN PGP SIGNED MESSAGE-----" else { throw fail("no BEGIN PGP SIGNED MESSAGE line") }
        lines = lines.dropFirst()
        // Armor headers ("Hash: SHA256") up to the first empty line.
        while let line = lines.first, !line.isEmpty {
            guard line.contains(":") else { throw fail("bad armor header '\(line)'") }
            lines = lines.dropFirst()
        }
        guard !lines.isEmpty else { throw fail("no signed text") }
        lines = lines.dropFirst()
        var body: [Substring] = []
        while let line = lines.first, line != "-----BEGIN PGP SIGNATURE-----" {
            var l = line.hasPrefix("- ") ? line.dropFirst(2) : line
            while let last = l.last, last == " " || last == "\t" { l = l.dropLast() }
            body.append(l)
            lines = lines.dropFirst()
        }
        guard !lines.isEmpty else { throw fail("no signature block") }
        var signature: [Substring] = []
        var ended = false
        for line in lines {
            if ended {
                // A second signed message (or anything else) after the first is refused, not ignored.
                guard line.allSatisfy({ $0 == " " || $0 == "\t" }) else { throw fail("content after the signature block") }
                continue
            }
            signature.append(line)
            if line == "-----END PGP SIGNATURE-----" { ended = true }
        }
        guard ended else { throw fail("unterminated signature block") }
        message = Data(body.joined(separator: "\n").utf8)
        self.signature = Data((signature.joined(separator: "\n") + "\n").utf8)
    }
}
