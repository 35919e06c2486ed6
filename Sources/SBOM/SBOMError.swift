import Foundation

/// Errors from reading an image's files or writing its SBOM; each names the image, file or package.
public enum SBOMError: Error, CustomStringConvertible {
    /// A layer could not be read while cataloging.
    case layer(image: String, layer: Int, underlying: any Error)
    /// A file an SBOM was asked to read is malformed beyond what can be skipped.
    case malformedFile(path: String, reason: String)
    /// The format name given is not one distill writes.
    case unknownFormat(String)
    /// Encoding a document failed.
    case encoding(what: String, reason: String)
    /// An SBOM file could not be written.
    case write(path: String, reason: String)

    public var description: String {
        switch self {
        case .layer(let image, let layer, let underlying):
            return "\(image): layer \(layer + 1) cannot be read: \(underlying); the image may be corrupt — pull or build it again"
        case .malformedFile(let path, let reason):
            return "\(path): \(reason)"
        case .unknownFormat(let name):
            return "unknown SBOM format '\(name)'; use spdx-json or cyclonedx-json"
        case .encoding(let what, let reason):
            return "cannot encode \(what): \(reason)"
        case .write(let path, let reason):
            return "cannot write \(path): \(reason); check that its directory exists and is writable"
        }
    }
}
