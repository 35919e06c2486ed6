/// Everything that can go wrong while getting, checking, resolving or unpacking Debian packages.
///
/// Each message names the file, URL, package or line it is about and says what to do next.
public enum DebianError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A deb822 document (control file, Packages, Release) has a line that is not a field.
    case malformedControl(file: String, line: Int, reason: String)
    /// A version string that dpkg would refuse.
    case malformedVersion(version: String, reason: String)
    /// A Depends/Pre-Depends/Provides value that cannot be parsed.
    case malformedRelation(package: String, field: String, text: String, reason: String)
    /// The InRelease signature did not verify against the keyring.
    case signatureInvalid(file: String, keyring: String, detail: String)
    /// Neither gpgv nor sqv is installed.
    case noSignatureVerifier
    /// The release file's Date lies in the future (beyond clock skew).
    case releaseFromFuture(file: String, date: String)
    /// The release file is older than the one already verified for the same suite (a replay).
    case releaseRollback(file: String, date: String, cachedDate: String)
    /// The release file's Valid-Until is in the past.
    case releaseExpired(file: String, validUntil: String)
    /// The signed release file is for another suite than the one asked for (a replayed file).
    case releaseMismatch(file: String, expected: String, found: String)
    /// The release file lists no checksum for an index distill needs.
    case indexNotListed(release: String, path: String)
    /// A required field is missing from a release or package record.
    case missingField(file: String, field: String)
    /// Downloaded or cached content does not have the sha256 it was promised.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// Downloaded or cached content does not have the size it was promised.
    case sizeMismatch(file: String, expected: Int64, actual: Int64)
    /// The server answered with an HTTP error status.
    case httpStatus(url: String, status: Int)
    /// The transfer failed (connection refused, reset, cut short).
    case downloadFailed(url: String, reason: String)
    /// `offline` was asked for, and the cache does not hold `what`.
    case offlineMissing(what: String)
    /// No package of that name (nor a provider) exists for the architecture.
    case packageNotFound(name: String, architecture: String, chain: [String])
    /// A dependency has candidates, but none satisfies its version relation.
    case unsatisfiable(dependency: String, package: String, architecture: String, chain: [String])
    /// Two packages need different versions of the same package.
    case versionConflict(package: String, selected: String, required: String, by: String)
    /// A .deb that libarchive cannot read, or that lacks a required member.
    case malformedDeb(deb: String, reason: String)
    /// A .deb entry that would leave the image root (`..`).
    case unsafeDebEntry(deb: String, entry: String)
    /// The .deb unpacks past the unpack limit (`detail` names the entry, the limit and how to raise it).
    case unpackLimit(deb: String, detail: String)
    /// The .deb's control file names another package or version than the index listed for it.
    case debMismatch(deb: String, field: String, expected: String, found: String)
    /// distill.lock does not belong to the current build file.
    case lockMismatch(file: String, reason: String)
    /// distill.lock cannot be read.
    case lockMalformed(file: String, reason: String)
    /// A checksum from an input (lock file, index, release file) is not a sha256 in hex.
    case invalidChecksum(what: String, value: String)
    /// Reading or writing a local file failed.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformedControl(let file, let line, let reason):
            return "\(file):\(line): \(reason); the file is not a valid deb822 control file"
        case .malformedVersion(let version, let reason):
            return "'\(version)' is not a valid Debian version: \(reason)"
        case .malformedRelation(let package, let field, let text, let reason):
            return "package \(package): cannot parse \(field) '\(text)': \(reason)"
        case .releaseFromFuture(let file, let date):
            return "\(file) is dated \(date), in the future; check this machine's clock, or the mirror is not genuine — nothing from it was used"
        case .releaseRollback(let file, let date, let cachedDate):
            return "\(file) is dated \(date), older than the \(cachedDate) already verified for this suite: the mirror is replaying old data (a rollback); use a current mirror"
        case .signatureInvalid(let file, let keyring, let detail):
            return
                "\(file): signature does not verify against \(keyring) (\(detail)); the file was tampered with or the keyring is wrong — nothing from it was used"
        case .noSignatureVerifier:
            return "neither gpgv nor sqv is installed, so release signatures cannot be checked; install one (apt-get install gpgv)"
        case .releaseExpired(let file, let validUntil):
            return "\(file) expired on \(validUntil) (Valid-Until); the mirror is stale or replaying old data — use a current mirror"
        case .releaseMismatch(let file, let expected, let found):
            return "\(file) is signed for suite '\(found)', not '\(expected)'; the mirror serves the wrong release file"
        case .indexNotListed(let release, let path):
            return "\(release) lists no SHA256 for \(path); the suite may not have this component or architecture"
        case .missingField(let file, let field):
            return "\(file): required field '\(field)' is missing"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file): sha256 is \(actual) but \(expected) was expected; the file is corrupt or was tampered with, and was not used"
        case .sizeMismatch(let file, let expected, let actual):
            return "\(file): \(actual) bytes but \(expected) were expected; the file is truncated or corrupt, and was not used"
        case .httpStatus(let url, let status):
            return "GET \(url) failed with HTTP \(status)\(status == 404 ? " (not on the mirror: check the mirror URL, suite and package)" : "")"
        case .downloadFailed(let url, let reason):
            return "GET \(url) failed: \(reason); check the network and the mirror URL"
        case .offlineMissing(let what):
            return "offline mode, and \(what) is not in the cache; run once without --offline to fill it"
        case .packageNotFound(let name, let architecture, let chain):
            return "no package '\(name)' for \(architecture) in the configured suites\(Self.describe(chain))"
        case .unsatisfiable(let dependency, let package, let architecture, let chain):
            return "\(package) needs '\(dependency)', which no package for \(architecture) satisfies\(Self.describe(chain))"
        case .versionConflict(let package, let selected, let required, let by):
            return "\(by) needs \(package) \(required), but \(package) \(selected) is already selected; pin one of them"
        case .malformedDeb(let deb, let reason):
            return "\(deb): not a valid .deb (\(reason)); delete it from the cache and fetch it again"
        case .unpackLimit(_, let detail):
            return detail
        case .debMismatch(let deb, let field, let expected, let found):
            return "\(deb): its control file says \(field) '\(found)' but the index lists '\(expected)'; the package was not used — the mirror or cache serves the wrong file"
        case .unsafeDebEntry(let deb, let entry):
            return "\(deb): entry '\(entry)' would be written outside the image root; refusing the package"
        case .lockMismatch(let file, let reason):
            return "\(file) was made for \(reason): run with --update-lock"
        case .invalidChecksum(let what, let value):
            let shown = value.count > 80 ? String(value.prefix(80)) + "…" : value
            return "\(what): sha256 '\(shown)' is not 64 lowercase hex digits; the file is damaged or was tampered with — nothing was looked up for it"
        case .lockMalformed(let file, let reason):
            return "\(file) cannot be read (\(reason)); fix it or run with --update-lock to write a new one"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }

    private static func describe(_ chain: [String]) -> String {
        chain.isEmpty ? "" : " (needed by \(chain.joined(separator: " -> ")))"
    }
}
