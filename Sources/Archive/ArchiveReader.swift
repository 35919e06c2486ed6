import CArchive
import Foundation

/// What an ``ArchiveReader`` accepts; compression filters are always detected automatically.
public enum ArchiveFormat: Sendable {
    /// tar in any of its dialects (ustar, pax, GNU).
    case tar
    /// Unix ar, the outer format of a .deb.
    case ar
    /// A single compressed (or plain) stream, e.g. `Packages.xz`.
    case raw
    /// A zip file (OSV's `all.zip`), read member by member.
    case zip
}

/// Sequential reader over a tar, ar or compressed stream, backed by libarchive. Streams; never loads an archive.
public final class ArchiveReader: ByteSource {
    private let handle: OpaquePointer
    /// The name used in errors (a file path, or `member in parent`).
    public let name: String
    private var context: Unmanaged<CallbackContext>?
    private var headerSeen = false

    /// Opens the file at `path`.
    public init(path: String, format: ArchiveFormat, name: String? = nil) throws(ArchiveError) {
        ArchiveLocale.ensureUTF8()
        self.name = name ?? path
        handle = archive_read_new()
        Self.configure(handle, format)
        // On failure deinit frees the handle: a throwing initializer of a fully initialized class still runs it.
        if archive_read_open_filename(handle, path, 1 << 16) != ARCHIVE_OK {
            throw .malformed(archive: self.name, reason: Self.errorString(handle))
        }
    }

    /// Reads from any ``ByteSource`` (another archive's member, a download).
    public init(source: ByteSource, format: ArchiveFormat, name: String) throws(ArchiveError) {
        ArchiveLocale.ensureUTF8()
        self.name = name
        handle = archive_read_new()
        Self.configure(handle, format)
        let ctx = Unmanaged.passRetained(CallbackContext(source: source))
        context = ctx
        let status = archive_read_open(
            handle, ctx.toOpaque(), nil,
            { _, client, buffer in
                let ctx = Unmanaged<CallbackContext>.fromOpaque(client!).takeUnretainedValue()
                do {
                    // libarchive only needs the bytes until it calls again: a source holding them lends them.
                    if let lender = ctx.lender {
                        let bytes = try lender.borrow()
                        buffer?.pointee = bytes.baseAddress
                        return la_ssize_t(bytes.count)
                    }
                    let n = try ctx.source.read(into: ctx.buffer)
                    buffer?.pointee = UnsafeRawPointer(ctx.buffer.baseAddress)
                    return la_ssize_t(n)
                } catch {
                    ctx.error = error
                    return -1
                }
            }, nil)
        if status != ARCHIVE_OK { throw failure() }
    }

    deinit {
        archive_read_free(handle)
        context?.release()
    }

    private static func configure(_ handle: OpaquePointer, _ format: ArchiveFormat) {
        archive_read_support_filter_all(handle)
        switch format {
        case .tar: archive_read_support_format_tar(handle)
        case .ar: archive_read_support_format_ar(handle)
        case .raw: archive_read_support_format_raw(handle)
        case .zip: archive_read_support_format_zip(handle)
        }
    }

    static func errorString(_ handle: OpaquePointer) -> String {
        if let s = archive_error_string(handle) { return String(cString: s) }
        return "unknown libarchive error"
    }

    private func failure() -> ArchiveError {
        if let error = context?.takeUnretainedValue().error as? ArchiveError { return error }
        if let error = context?.takeUnretainedValue().error {
            return .malformed(archive: name, reason: "\(error)")
        }
        return .malformed(archive: name, reason: Self.errorString(handle))
    }

    /// The next entry's header, or nil at the end of the archive.
    public func nextEntry() throws(ArchiveError) -> ArchiveEntry? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF {
            // An archive with no entries at all is not an archive (e.g. an empty or garbage file).
            if !headerSeen, archive_format(handle) == 0 {
                throw .malformed(archive: name, reason: "no entries")
            }
            return nil
        }
        if status < ARCHIVE_WARN { throw failure() }
        guard let entry else { throw .malformed(archive: name, reason: "missing header") }
        headerSeen = true
        return Self.describe(entry)
    }

    static func describe(_ entry: OpaquePointer) -> ArchiveEntry {
        let path = name(archive_entry_pathname(entry), utf8: archive_entry_pathname_utf8(entry)) ?? ""
        let kind: EntryKind
        if let link = name(archive_entry_hardlink(entry), utf8: archive_entry_hardlink_utf8(entry)) {
            kind = .hardlink(target: link)
        } else {
            switch archive_entry_filetype(entry) {
            case CArchiveTypeDirectory: kind = .directory
            case CArchiveTypeSymlink:
                kind = .symlink(target: name(archive_entry_symlink(entry), utf8: archive_entry_symlink_utf8(entry)) ?? "")
            case CArchiveTypeCharacter:
                kind = .characterDevice(major: UInt32(archive_entry_rdevmajor(entry)), minor: UInt32(archive_entry_rdevminor(entry)))
            case CArchiveTypeBlock:
                kind = .blockDevice(major: UInt32(archive_entry_rdevmajor(entry)), minor: UInt32(archive_entry_rdevminor(entry)))
            case CArchiveTypeFIFO: kind = .fifo
            default: kind = .regular
            }
        }
        return ArchiveEntry(
            rawPath: path, kind: kind, permissions: UInt32(archive_entry_perm(entry)) & 0o7777,
            uid: archive_entry_uid(entry), gid: archive_entry_gid(entry),
            size: archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0,
            modificationTime: Int64(archive_entry_mtime(entry)))
    }

    /// A name as the header gave it when that is plain ASCII (the same in every charset), else its UTF-8 form.
    /// Asking libarchive for UTF-8 first would convert every name through the locale's wide characters.
    private static func name(_ native: UnsafePointer<CChar>?, utf8: @autoclosure () -> UnsafePointer<CChar>?) -> String? {
        if let native, isASCII(native) { return String(cString: native) }
        return string(utf8()) ?? string(native)
    }

    private static func isASCII(_ pointer: UnsafePointer<CChar>) -> Bool {
        var p = pointer
        while p.pointee != 0 {
            if p.pointee < 0 { return false }
            p += 1
        }
        return true
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    /// Reads the current entry's data (or the raw stream's bytes); 0 at its end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = archive_read_data(handle, buffer.baseAddress, buffer.count)
        if n < 0 { throw failure() }
        return n
    }

    /// Bytes read so far after decompression (for a layer read to its end: the tar's size).
    public var uncompressedBytesRead: Int64 { archive_filter_bytes(handle, 0) }

    /// Skips the rest of the current entry's data.
    public func skipData() throws(ArchiveError) {
        if archive_read_data_skip(handle) < ARCHIVE_WARN { throw failure() }
    }

    /// Iterates the entries; `body` may read the current entry's data through this reader.
    public func forEachEntry(_ body: (ArchiveEntry) throws -> Void) throws {
        while let entry = try nextEntry() { try body(entry) }
    }
}

/// Holds the source and buffer a libarchive read callback needs.
private final class CallbackContext {
    let source: ByteSource
    let lender: BorrowingByteSource?
    /// What a source that cannot lend its bytes is read into (empty for one that can).
    let buffer: UnsafeMutableRawBufferPointer
    var error: (any Error)?

    init(source: ByteSource) {
        self.source = source
        lender = source as? BorrowingByteSource
        buffer = lender == nil ? .allocate(byteCount: 1 << 16, alignment: 16) : UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    deinit { buffer.deallocate() }
}

/// libarchive converts names through the C locale; names are UTF-8 in layers, so make sure it is.
enum ArchiveLocale {
    private static let once: Void = {
        if let current = setlocale(LC_CTYPE, nil).map({ String(cString: $0) }), current == "C" || current == "POSIX" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
    }()

    static func ensureUTF8() { once }
}
