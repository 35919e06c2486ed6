import Archive
import ImageFormat

/// One entry of one layer, as an image is read once from bottom to top.
public struct LayerEntry: Sendable, Equatable {
    /// Index of the layer (0 is the lowest).
    public var layer: Int
    /// The name as the layer's tar has it, normalized (`usr/lib/x`); for a whiteout, the path it deletes.
    public var rawPath: String
    /// Where the entry lands in the final tree with symlinked parents resolved; nil for whiteouts.
    public var path: String?
    public var kind: EntryKind
    /// Bytes of content (regular files only).
    public var size: Int64
    /// Permission bits including setuid, setgid and sticky.
    public var permissions: UInt32
    public var uid: Int64
    public var gid: Int64
    /// Set when the entry is a whiteout rather than a file.
    public var whiteout: Whiteout?

    public init(
        layer: Int, rawPath: String, path: String?, kind: EntryKind, size: Int64, permissions: UInt32, uid: Int64,
        gid: Int64, whiteout: Whiteout?
    ) {
        self.layer = layer
        self.rawPath = rawPath
        self.path = path
        self.kind = kind
        self.size = size
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.whiteout = whiteout
    }
}

/// What is known about a layer once it has been read to its end.
public struct LayerInfo: Sendable, Equatable, Codable {
    public var index: Int
    /// The compressed blob as the manifest lists it.
    public var descriptor: Descriptor
    /// The digest of the uncompressed tar, from the image configuration.
    public var diffID: Digest
    /// Bytes of tar read after decompression.
    public var uncompressedSize: Int64
    /// Entries in the layer, whiteouts included.
    public var entryCount: Int
    /// Bytes of regular-file content the layer carries.
    public var contentSize: Int64

    public init(index: Int, descriptor: Descriptor, diffID: Digest, uncompressedSize: Int64, entryCount: Int, contentSize: Int64) {
        self.index = index
        self.descriptor = descriptor
        self.diffID = diffID
        self.uncompressedSize = uncompressedSize
        self.entryCount = entryCount
        self.contentSize = contentSize
    }
}

/// Sees every entry of every layer while an image is read once, and the content of the files it asks for.
///
/// Catalogers, the secret scanner and the efficiency counter are observers of the same pass, so an
/// image is decompressed once however many of them run.
public protocol LayerObserver: AnyObject {
    /// Called for every entry, layer by layer; returns a consumer to be given a regular file's content, or nil.
    func observe(_ entry: LayerEntry) throws -> ContentConsumer?
    /// Called when a layer has been read to its end.
    func finishLayer(_ layer: LayerInfo) throws
}

extension LayerObserver {
    public func finishLayer(_ layer: LayerInfo) throws {}
}

/// Receives one file's content in chunks.
public protocol ContentConsumer: AnyObject {
    /// Takes the next chunk; returns false once it needs no more of this file.
    func consume(_ chunk: UnsafeRawBufferPointer) throws -> Bool
    /// The file ended, or the consumer said it had enough.
    func finish() throws
}
