import Archive
import ImageFormat

/// Errors from reading or writing images through a transport; each names the image reference.
public enum ImageTransportError: Error, CustomStringConvertible {
    case invalidReference(String, reason: String)
    case unsupportedTransport(String, reason: String)
    case notFound(image: String, what: String)
    case notAnImage(image: String, reason: String)
    case tagNotFound(image: String, tag: String, available: [String])
    case ambiguous(image: String, reason: String)
    case platformNotFound(image: String, wanted: String, available: [String])
    case blobMissing(image: String, digest: Digest)
    case corrupt(image: String, underlying: ImageFormatError)
    case archive(image: String, underlying: ArchiveError)
    case destinationExists(image: String, reason: String)
    case io(image: String, reason: String)

    public var description: String {
        switch self {
        case .invalidReference(let ref, let reason):
            return "'\(ref)' is not an image reference: \(reason). Use oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE, dir:DIR, rootfs:DIR or HOST/REPO[:TAG]"
        case .unsupportedTransport(let ref, let reason):
            return "\(ref): \(reason)"
        case .notFound(let image, let what):
            return "\(image): \(what) does not exist"
        case .notAnImage(let image, let reason):
            return "\(image) is not an image: \(reason)"
        case .tagNotFound(let image, let tag, let available):
            let list = available.isEmpty ? "it has no tags" : "it has: \(available.joined(separator: ", "))"
            return "\(image): no image tagged '\(tag)' (\(list))"
        case .ambiguous(let image, let reason):
            return "\(image): \(reason)"
        case .platformNotFound(let image, let wanted, let available):
            return "\(image): no image for platform \(wanted) (it has \(available.joined(separator: ", ")))"
        case .blobMissing(let image, let digest):
            return "\(image): blob \(digest) is missing; the image is incomplete"
        case .corrupt(let image, let underlying):
            return "\(image): \(underlying)"
        case .archive(let image, let underlying):
            return "\(image): \(underlying)"
        case .destinationExists(let image, let reason):
            return "\(image): \(reason)"
        case .io(let image, let reason):
            return "\(image): \(reason)"
        }
    }
}
