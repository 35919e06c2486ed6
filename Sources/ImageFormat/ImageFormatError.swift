/// Errors from parsing or validating image-format objects.
public enum ImageFormatError: Error, Equatable, CustomStringConvertible {
    case invalidDigest(String)
    case digestMismatch(what: String, expected: Digest, actual: Digest)
    case sizeMismatch(what: String, expected: Int64, actual: Int64)
    case malformedJSON(what: String, reason: String)
    case unsupportedMediaType(what: String, mediaType: String)

    public var description: String {
        switch self {
        case .invalidDigest(let s):
            return "'\(s)' is not a valid digest (expected sha256:<64 lowercase hex> or sha512:<128 hex>)"
        case .digestMismatch(let what, let expected, let actual):
            return "\(what): content has digest \(actual) but \(expected) was expected; the data is corrupt or was tampered with"
        case .sizeMismatch(let what, let expected, let actual):
            return "\(what): content is \(actual) bytes but \(expected) were expected; the data is truncated or corrupt"
        case .malformedJSON(let what, let reason):
            return "\(what) is not valid: \(reason)"
        case .unsupportedMediaType(let what, let mediaType):
            return "\(what) has media type '\(mediaType)', which distill does not handle here"
        }
    }
}
