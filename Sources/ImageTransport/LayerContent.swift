import Archive
import Foundation
import ImageFormat

/// Reads a layer blob as its uncompressed tar, checking both digests an image promises for it:
/// the blob's own (manifest) and the uncompressed content's (the config's `diff_ids` entry).
public enum LayerContent {
    /// Streams `layer` from `source`, decompressed, into `body`; fails unless the compressed bytes match
    /// the descriptor and the uncompressed bytes match `diffID`, even if `body` stops reading early.
    public static func apply(
        _ layer: Descriptor, diffID: Digest, from source: any ImageSource, name: String, _ body: (any ByteSource) throws -> Void
    ) async throws {
        let blob = try await source.openVerifiedBlob(layer)
        // libarchive's raw format hands back the stream after its compression filter (any, detected).
        let decompressed = try ArchiveReader(source: blob, format: .raw, name: name)
        guard try decompressed.nextEntry() != nil else {
            throw ImageTransportError.notAnImage(image: source.reference.description, reason: "\(name) holds no data")
        }
        let tar = VerifyingSource(inner: decompressed, digest: diffID, size: nil, what: "\(name): uncompressed content (diff_id)")
        try body(tar)
        // A tar reader stops at the end-of-archive marker: read on so both digests cover every byte.
        try tar.copy(to: NullSink())
        try blob.copy(to: NullSink())
    }
}
