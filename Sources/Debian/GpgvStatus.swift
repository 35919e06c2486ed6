/// What gpgv's `--status-fd` lines say about a cleartext-signed file, judged the way apt judges them.
///
/// Accepted only when at least one signature is good (GOODSIG with its VALIDSIG) and made with a strong
/// digest, and nothing is wrong with the file itself: no BADSIG, no ERROR (e.g. a second signed
/// message appended to the first), no malformed data. Signatures by keys outside the keyring
/// (ERRSIG + NO_PUBKEY) and by expired or revoked keys are worthless but not fatal, as in apt; gpgv's
/// exit status 2 is accepted only when those are the sole failures.
struct GpgvStatus: Equatable {
    /// Fingerprints of good signatures with a strong digest.
    var goodFingerprints: [String] = []
    /// Why the file is refused, if it is.
    var problems: [String] = []

    /// OpenPGP hash algorithm ids apt no longer trusts: MD5, SHA-1, RIPEMD-160.
    static let weakDigests: [String: String] = ["1": "MD5", "2": "SHA1", "3": "RIPEMD160"]

    /// Judges `lines` (status output) with gpgv's `exitStatus`.
    init(lines: [Substring], exitStatus: Int32) {
        var pendingGood = false
        var missingKeys = 0
        var tolerated = 0
        for line in lines {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 2, fields[0] == "[GNUPG:]" else { continue }
            switch fields[1] {
            case "GOODSIG":
                pendingGood = true
            case "VALIDSIG" where fields.count >= 10:
                if pendingGood {
                    if let weak = Self.weakDigests[fields[9]] {
                        problems.append("signature by \(fields[2]) uses the weak digest \(weak)")
                    } else {
                        goodFingerprints.append(fields[2])
                    }
                }
                pendingGood = false
            case "NEWSIG":
                pendingGood = false
            case "NO_PUBKEY":
                missingKeys += 1
            case "EXPKEYSIG", "REVKEYSIG", "EXPSIG":
                tolerated += 1
            case "BADSIG":
                problems.append("bad signature by \(fields.dropFirst(2).first ?? "?")")
            case "ERROR", "NODATA", "BADARMOR", "UNEXPECTED", "DECRYPTION_FAILED", "FAILURE":
                problems.append(fields.dropFirst().joined(separator: " "))
            case "ERRSIG" where fields.count >= 8 && fields[7] != "9":
                // rc 9 is a missing public key (reported as NO_PUBKEY too); anything else is a broken signature.
                problems.append("signature by \(fields[2]) cannot be checked (rc \(fields[7]))")
            default:
                break
            }
        }
        if goodFingerprints.isEmpty && problems.isEmpty { problems.append("no good signature by a key in the keyring") }
        if exitStatus != 0 && problems.isEmpty && missingKeys + tolerated == 0 {
            problems.append("gpgv exited with status \(exitStatus)")
        }
    }

    /// True when the signed text may be used.
    var isAccepted: Bool { problems.isEmpty && !goodFingerprints.isEmpty }
}
