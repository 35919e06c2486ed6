import Archive
import Foundation
import ImageFormat
import ImageTransport

/// An image's final file system (metadata only) and its layers, read in one streaming pass.
public struct ImageFiles: Sendable {
    /// The reference the image was read from, for messages.
    public var reference: String
    /// The single-platform image: manifest and configuration.
    public var image: ResolvedImage
    /// Every layer, lowest first.
    public var layers: [LayerInfo]
    /// The final tree, whiteouts applied.
    public var tree: FileTree
}

/// Reads an image's layers once, bottom to top, feeding every entry to observers.
public enum ImageReader {
    /// Reads `platform`'s image (nil: the only one, else the host's) from `source`; every layer is verified
    /// against its digest. Only what observers ask for is read; everything else is skipped as it streams by.
    public static func read(_ source: any ImageSource, platform: Platform? = nil, observers: [LayerObserver]) async throws -> ImageFiles {
        try await read(source, image: source.image(for: platform), observers: observers)
    }

    /// Reads the layers of `image`, already resolved from `source`.
    public static func read(_ source: any ImageSource, image: ResolvedImage, observers: [LayerObserver]) async throws -> ImageFiles {
        let flattener = LayerFlattener()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var layers: [LayerInfo] = []
        for (index, descriptor) in image.manifest.layers.enumerated() {
            let name = "\(source.reference) layer \(index + 1) (\(descriptor.digest))"
            do {
                let blob = try await source.openVerifiedBlob(descriptor)
                // Reading and hashing a compressed blob run on one thread, inflating on a second, while this one
                // parses and catalogs: inflate alone is then the longest of the three.
                // The blob's digest is checked as it is read, so the gzip CRC would prove nothing more.
                let compressed = GzipInflateSource.applies(to: descriptor.mediaType) ? PrefetchingSource(blob, chunkSize: 1 << 18) : nil
                let inflated = compressed.map { GzipInflateSource($0, name: name, verifyingChecksums: false) }
                let stream = PrefetchingSource(inflated ?? blob, chunkSize: 1 << 18)
                let reader = try ArchiveReader(source: stream, format: .tar, name: name)
                let (count, content) = try readLayer(reader, index: index, into: flattener, observers: observers, buffer: buffer)
                let uncompressed = reader.uncompressedBytesRead
                // libarchive stops at the end-of-archive marker; read on so the digest check sees every byte.
                try stream.drain()
                if let compressed { try compressed.drain() } else { try blob.copy(to: NullSink()) }
                let info = LayerInfo(
                    index: index, descriptor: descriptor, diffID: image.configuration.rootfs.diffIDs[index],
                    uncompressedSize: uncompressed, entryCount: count, contentSize: content)
                for observer in observers { try observer.finishLayer(info) }
                layers.append(info)
            } catch let error as SBOMError {
                throw error
            } catch {
                throw SBOMError.layer(image: source.reference.description, layer: index, underlying: error)
            }
        }
        return ImageFiles(reference: source.reference.description, image: image, layers: layers, tree: FileTree(flattener.entries()))
    }

    /// Reads one layer tar on top of what `flattener` holds, feeding observers; returns its entry count and content bytes.
    public static func readLayer(
        _ reader: ArchiveReader, index: Int, into flattener: LayerFlattener, observers: [LayerObserver],
        buffer: UnsafeMutableRawBufferPointer
    ) throws -> (entries: Int, contentBytes: Int64) {
        var count = 0
        var content: Int64 = 0
        try flattener.apply(reader) { raw, flat in
            count += 1
            guard let entry = try layerEntry(raw, flat, layer: index, archive: reader.name) else { return }
            if raw.kind == .regular { content += raw.size }
            try feed(entry, from: reader, to: observers, buffer: buffer)
        }
        return (count, content)
    }

    private static func layerEntry(_ raw: ArchiveEntry, _ flat: FlattenedEntry?, layer: Int, archive: String) throws -> LayerEntry? {
        guard let normalized = try ArchivePath.normalize(raw.rawPath, archive: archive, allowAbsolute: false) else { return nil }
        let whiteout = flat == nil ? Whiteout(basename: ArchivePath.basename(of: normalized)) : nil
        if whiteout == .ignored { return nil }
        var rawPath = normalized
        if case .remove(let target)? = whiteout {
            rawPath = ArchivePath.parent(of: normalized).map { $0 + "/" + target } ?? target
        } else if whiteout != nil {
            rawPath = ArchivePath.parent(of: normalized) ?? ""
        }
        return LayerEntry(
            layer: layer, rawPath: rawPath, path: flat?.path, kind: flat?.kind ?? raw.kind, size: flat?.size ?? 0,
            permissions: raw.permissions, uid: raw.uid, gid: raw.gid, whiteout: whiteout)
    }

    /// Offers the entry to every observer and streams its content to those that want it, once.
    private static func feed(
        _ entry: LayerEntry, from reader: ArchiveReader, to observers: [LayerObserver], buffer: UnsafeMutableRawBufferPointer
    ) throws {
        var consumers: [ContentConsumer] = []
        for observer in observers {
            if let consumer = try observer.observe(entry) { consumers.append(consumer) }
        }
        if consumers.isEmpty { return }
        var active = consumers
        if entry.kind == .regular && entry.whiteout == nil {
            while !active.isEmpty {
                let n = try reader.read(into: buffer)
                if n == 0 { break }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                active = try active.filter { try $0.consume(chunk) }
            }
        }
        for consumer in consumers { try consumer.finish() }
    }
}
