import CArchive
import Foundation

/// Compresses a stream with zstd through libarchive's zstd filter (single-threaded, so deterministic).
public final class ZstdSink: ByteSink {
    private let handle: OpaquePointer
    private let context: Unmanaged<SinkContext>
    private var finished = false

    /// Compresses into `downstream` at zstd `level`.
    public init(downstream: ByteSink, level: Int = 3) throws(ArchiveError) {
        handle = archive_write_new()
        archive_write_set_format_raw(handle)
        archive_write_add_filter_zstd(handle)
        archive_write_set_bytes_per_block(handle, 0)
        archive_write_set_filter_option(handle, "zstd", "compression-level", String(level))
        context = Unmanaged.passRetained(SinkContext(sink: downstream))
        let opened = archive_write_open(
            handle, context.toOpaque(), nil,
            { _, client, buffer, length in
                let ctx = Unmanaged<SinkContext>.fromOpaque(client!).takeUnretainedValue()
                do {
                    try ctx.sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
                    return la_ssize_t(length)
                } catch {
                    ctx.error = error
                    return -1
                }
            }, nil)
        let entry = archive_entry_new()
        archive_entry_set_filetype(entry, CArchiveTypeRegular)
        archive_entry_set_pathname(entry, "data")
        let header = archive_write_header(handle, entry)
        archive_entry_free(entry)
        // On failure deinit frees the handle and context: it runs even when a full initializer throws.
        if opened != ARCHIVE_OK || header != ARCHIVE_OK {
            throw .encodingFailed(what: "zstd", reason: ArchiveReader.errorString(handle))
        }
    }

    deinit {
        archive_write_free(handle)
        context.release()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.isEmpty { return }
        if archive_write_data(handle, bytes.baseAddress, bytes.count) < 0 {
            throw context.takeUnretainedValue().error
                ?? ArchiveError.encodingFailed(what: "zstd", reason: ArchiveReader.errorString(handle))
        }
    }

    public func finish() throws {
        if finished { return }
        finished = true
        if archive_write_close(handle) != ARCHIVE_OK {
            throw context.takeUnretainedValue().error
                ?? ArchiveError.encodingFailed(what: "zstd", reason: ArchiveReader.errorString(handle))
        }
        try context.takeUnretainedValue().sink.finish()
    }
}
