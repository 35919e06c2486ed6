import Foundation

/// Errors from comparing images and writing the comparison; each says what to change.
public enum ReportError: Error, CustomStringConvertible {
    /// `compare` was given no image.
    case noImages
    /// `--names` does not give one name per image.
    case names(given: Int, images: Int)
    /// An output format `compare` does not write.
    case unknownFormat(String, expected: [String])
    /// The comparison could not be encoded or written.
    case output(path: String, reason: String)
    /// JSON that is not a comparison report.
    case malformed(reason: String)

    public var description: String {
        switch self {
        case .noImages:
            return "compare needs at least one image reference (e.g. oci:build/app docker-archive:old.tar)"
        case .names(let given, let images):
            return "--names gives \(given) name\(given == 1 ? "" : "s") for \(images) image\(images == 1 ? "" : "s"); give one per image, separated by commas"
        case .unknownFormat(let name, let expected):
            return "unknown format '\(name)'; use one of: \(expected.joined(separator: ", "))"
        case .output(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .malformed(let reason):
            return "not a comparison report (distill compare --format json): \(reason)"
        }
    }
}
