import CArchive
import Foundation

/// Writes a POSIX (pax) tar stream to a ``ByteSink``; entries are written exactly as given.
///
/// Determinism is the caller's: give entries in a fixed order with normalized owners and times.
/// libarchive's restricted pax format adds an extended header only when ustar cannot hold a field
/// (long names, large ids), and never puts a process id or the clock in one.
public final class TarWriter {
    private let handle: OpaquePointer
    private let context: Unmanaged<SinkContext>
    private let name: String
    private var finished = false
    /// One copy buffer for every entry: allocating a large buffer per file costs an mmap and munmap each.
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)

    /// Starts a tar stream into `sink`; `name` is used in errors.
    public init(sink: ByteSink, name: String) throws(ArchiveError) {
        ArchiveLocale.ensureUTF8()
        self.name = name
        handle = archive_write_new()
        archive_write_set_format_pax_restricted(handle)
        // Pad only to the 512-byte record, not to 10 KiB blocks: fewer bytes, same meaning.
        archive_write_set_bytes_per_block(handle, 0)
        context = Unmanaged.passRetained(SinkContext(sink: sink))
        let status = archive_write_open(
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
        // On failure deinit frees the handle and context: it runs even when a full initializer throws.
        if status != ARCHIVE_OK { throw .encodingFailed(what: "tar \(name)", reason: ArchiveReader.errorString(handle)) }
    }

    deinit {
        archive_write_free(handle)
        context.release()
        buffer.deallocate()
    }

    private func failure(_ what: String) -> any Error {
        if let error = context.takeUnretainedValue().error { return error }
        return ArchiveError.encodingFailed(what: "tar \(name): \(what)", reason: ArchiveReader.errorString(handle))
    }

    /// Writes one entry header; a regular file's data must follow through ``writeData(_:)``, exactly `size` bytes.
    public func writeHeader(_ header: ArchiveEntry, uname: String = "", gname: String = "") throws {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, header.rawPath)
        archive_entry_set_perm(entry, mode_t(header.permissions))
        archive_entry_set_uid(entry, header.uid)
        archive_entry_set_gid(entry, header.gid)
        if !uname.isEmpty { archive_entry_set_uname_utf8(entry, uname) }
        if !gname.isEmpty { archive_entry_set_gname_utf8(entry, gname) }
        archive_entry_set_mtime(entry, time_t(header.modificationTime), 0)
        switch header.kind {
        case .regular:
            archive_entry_set_filetype(entry, CArchiveTypeRegular)
            archive_entry_set_size(entry, header.size)
        case .directory:
            archive_entry_set_filetype(entry, CArchiveTypeDirectory)
            archive_entry_set_size(entry, 0)
        case .symlink(let target):
            archive_entry_set_filetype(entry, CArchiveTypeSymlink)
            archive_entry_set_symlink_utf8(entry, target)
            archive_entry_set_size(entry, 0)
        case .hardlink(let target):
            archive_entry_set_filetype(entry, CArchiveTypeRegular)
            archive_entry_set_hardlink_utf8(entry, target)
            archive_entry_set_size(entry, 0)
        case .characterDevice(let major, let minor):
            archive_entry_set_filetype(entry, CArchiveTypeCharacter)
            archive_entry_set_rdevmajor(entry, dev_t(major))
            archive_entry_set_rdevminor(entry, dev_t(minor))
        case .blockDevice(let major, let minor):
            archive_entry_set_filetype(entry, CArchiveTypeBlock)
            archive_entry_set_rdevmajor(entry, dev_t(major))
            archive_entry_set_rdevminor(entry, dev_t(minor))
        case .fifo:
            archive_entry_set_filetype(entry, CArchiveTypeFIFO)
        }
        if archive_write_header(handle, entry) < ARCHIVE_WARN { throw failure("header of \(header.rawPath)") }
    }

    /// Writes data of the current entry.
    public func writeData(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = archive_write_data(handle, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 { throw failure("data") }
            if n == 0 { throw ArchiveError.encodingFailed(what: "tar \(name)", reason: "entry data longer than its size") }
            offset += n
        }
    }

    /// Writes `header` then streams exactly `header.size` bytes from `source` (for regular files).
    public func writeEntry(_ header: ArchiveEntry, from source: ByteSource?) throws {
        try writeHeader(header)
        guard let source, case .regular = header.kind else { return }
        var remaining = header.size
        while remaining > 0 {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(min(Int64(buffer.count), remaining))]))
            if n == 0 {
                throw ArchiveError.readFailed(path: header.rawPath, reason: "file shrank while being archived (\(remaining) bytes missing)")
            }
            try writeData(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            remaining -= Int64(n)
        }
    }

    /// Writes the end-of-archive marker and finishes the sink.
    public func finish() throws {
        if finished { return }
        finished = true
        if archive_write_close(handle) != ARCHIVE_OK { throw failure("close") }
        try context.takeUnretainedValue().sink.finish()
    }
}

/// Holds the sink a libarchive write callback writes to, and the first error it met.
final class SinkContext {
    let sink: ByteSink
    var error: (any Error)?
    init(sink: ByteSink) { self.sink = sink }
}
