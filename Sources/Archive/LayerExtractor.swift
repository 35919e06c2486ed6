import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Applies layer blobs, in order, onto a directory: the root filesystem of an OCI runtime bundle.
///
/// Each layer is streamed (any compression, detected) and applied entry by entry:
/// - Paths are normalized; any `..` component is refused, and so is an absolute path unless
///   ``Options/allowAbsolutePaths`` is set (then `/x` means `x`).
/// - Parent directories are resolved inside the destination as if it were `/` (see ``Whiteout`` and
///   the symlink rules below); missing ones are created 0755.
/// - Symlinks met on the way to an entry are followed *inside* the destination: an absolute target
///   starts at the destination root, and a target that climbs above the root is refused with
///   ``ArchiveError/symlinkEscape(archive:entry:link:target:)``. Symlink entries themselves are created
///   as they are; their targets are data, resolved by whoever runs the image.
/// - An entry replaces what was at its path, except that a directory entry over an existing directory
///   keeps it and its contents (a directory is never followed if it became a symlink: the symlink is replaced).
/// - Hard links link to an entry already in the destination (this or a lower layer); a target that
///   climbs out, is missing or is a directory is refused.
/// - Whiteouts (`.wh.name`, `.wh..wh..opq`) delete what lower layers put there, never what the same
///   layer adds, and are not created themselves.
/// - Modes are applied as stored, setuid/setgid/sticky included (but the root itself stays 0755); owners with `lchown` semantics when
///   ``Options/applyOwnership`` (default: when running as root); mtimes as stored. Directory modes and
///   times are applied by ``finish()``, once nothing more is written inside them.
/// - Device nodes are skipped (the runtime provides `/dev`) and listed in the report.
/// - A truncated or corrupt layer fails with an error naming the layer (and the entry being read).
///
/// Nothing is ever created, changed or removed outside the destination. After an error the destination
/// holds whatever was applied before it: extract into a fresh directory and remove it on failure.
public final class LayerExtractor {
    /// How strict and how faithful extraction is.
    public struct Options: Sendable {
        /// Accept `/x` as `x` instead of refusing absolute entry names.
        public var allowAbsolutePaths: Bool
        /// Give entries their stored owner (requires root; ignored where the kernel refuses).
        public var applyOwnership: Bool
        /// Give entries their stored mtime.
        public var applyModificationTimes: Bool
        /// The most file bytes all layers together may unpack to; nil: ``UnpackLimit/current(environment:)``.
        public var unpackLimit: UnpackLimit?

        /// Strict paths; owners applied only when running as root.
        public init(
            allowAbsolutePaths: Bool = false, applyOwnership: Bool = geteuid() == 0, applyModificationTimes: Bool = true,
            unpackLimit: UnpackLimit? = nil
        ) {
            self.allowAbsolutePaths = allowAbsolutePaths
            self.applyOwnership = applyOwnership
            self.applyModificationTimes = applyModificationTimes
            self.unpackLimit = unpackLimit
        }
    }

    /// What extraction did and what it left out.
    public struct Report: Sendable, Equatable {
        /// Entries applied, whiteouts included.
        public var entries = 0
        /// Layers applied.
        public var layers = 0
        /// One line per entry left out, e.g. `layer 1: dev/null: device node skipped`.
        public var notes: [String] = []
    }

    private let root: RootedDirectory
    private let options: Options
    private var report = Report()
    /// Metadata for directories, applied deepest first by ``finish()``; keyed by symlink-free path.
    private var directories: [String: EntryMetadata] = [:]
    /// Paths the current layer wrote, with all their ancestors: what whiteouts must not remove.
    private var writes = LayerWrites()
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    /// File bytes written so far, against the unpack limit (a decompression bomb stops at its header).
    private var budget: UnpackBudget

    /// Prepares to extract into `destination`, an existing directory (normally empty).
    public init(destination: String, options: Options = Options()) throws(ArchiveError) {
        if let limit = options.unpackLimit {
            budget = UnpackBudget(limit: limit)
        } else {
            budget = UnpackBudget(limit: try UnpackLimit.current())
        }
        root = try RootedDirectory(path: destination)
        self.options = options
    }

    deinit { buffer.deallocate() }

    /// Applies `layers` (blob files) in order onto `destination`, then finishes.
    @discardableResult
    public static func extract(layers: [String], into destination: String, options: Options = Options()) throws -> Report {
        let extractor = try LayerExtractor(destination: destination, options: options)
        for layer in layers { try extractor.apply(layerAt: layer) }
        return try extractor.finish()
    }

    /// Applies the layer blob at `path`; `name` (default: the path) identifies it in errors.
    public func apply(layerAt path: String, name: String? = nil) throws {
        try apply(ArchiveReader(path: path, format: .tar, name: name ?? path))
    }

    /// Applies a layer read from `source`; `name` identifies it in errors.
    public func apply(_ source: ByteSource, name: String) throws {
        try apply(ArchiveReader(source: source, format: .tar, name: name))
    }

    private func apply(_ reader: ArchiveReader) throws {
        writes.reset()
        report.layers += 1
        while let entry = try reader.nextEntry() {
            // Counted from the header, before any data is read: even a skipped entry costs decompression.
            if entry.kind == .regular { try budget.take(entry.size, archive: reader.name, entry: entry.rawPath) }
            try apply(entry, from: reader)
            report.entries += 1
        }
        writes.reset()
    }

    /// Applies the metadata of every directory extracted (deepest first) and returns the report.
    public func finish() throws -> Report {
        let ordered = directories.keys.sorted { a, b in
            let da = a.utf8.filter { $0 == 0x2F }.count, db = b.utf8.filter { $0 == 0x2F }.count
            return da != db ? da > db : a > b
        }
        for path in ordered {
            guard let meta = directories[path] else { continue }
            if path.isEmpty {
                // A layer's `./` entry cannot open the root up (0777) or make it setuid: it stays 0755.
                var rootMeta = meta
                rootMeta.permissions = 0o755
                try setMetadata(rootMeta, fd: root.root.fd, name: nil, path: "/")
                continue
            }
            let parts = path.split(separator: "/").map(String.init)
            // Recorded paths were symlink-free; if one is not anymore, that directory is gone.
            guard let parent = root.existingDirectory(Array(parts.dropLast())),
                root.fileType(parent.fd, parts.last!) == S_IFDIR
            else { continue }
            try setMetadata(meta, fd: parent.fd, name: parts.last!, path: path)
        }
        directories = [:]
        return report
    }

    private func apply(_ entry: ArchiveEntry, from reader: ArchiveReader) throws {
        let layer = reader.name
        guard let path = try ArchivePath.normalize(entry.rawPath, archive: layer, allowAbsolute: options.allowAbsolutePaths)
        else {
            if entry.kind == .directory { directories[""] = EntryMetadata(entry) }
            return
        }
        var components = path.split(separator: "/")
        let name = String(components.removeLast())

        if let whiteout = Whiteout(basename: name) {
            guard let dir = try root.directory(components, create: false, archive: layer, entry: entry.rawPath) else { return }
            try writes.apply(whiteout, in: dir, path: dir.path, on: root)
            return
        }
        if case .characterDevice = entry.kind { return skip(entry, layer, "device node skipped (the runtime provides /dev)") }
        if case .blockDevice = entry.kind { return skip(entry, layer, "device node skipped (the runtime provides /dev)") }

        guard
            let dir = try root.directory(
                components, create: true, archive: layer, entry: entry.rawPath,
                created: { [self] in directories[$0] = .implicitDirectory; writes.touch($0) })
        else { return }
        let target = dir.path(of: name)
        writes.touch(target)
        let existing = root.fileType(dir.fd, name)

        switch entry.kind {
        case .directory:
            if existing != S_IFDIR {
                if existing != nil { try root.removeTree(dir.fd, name) }
                if mkdirat(dir.fd, name, 0o700) != 0 { throw writeError(target) }
            }
            directories[target] = EntryMetadata(entry)
        case .regular:
            if existing != nil { try root.removeTree(dir.fd, name) }
            try writeFile(entry, in: dir.fd, name: name, path: target, from: reader)
        case .symlink(let linkTarget):
            if existing != nil { try root.removeTree(dir.fd, name) }
            if symlinkat(linkTarget, dir.fd, name) != 0 { throw writeError(target) }
            try setMetadata(EntryMetadata(entry), fd: dir.fd, name: name, path: target, symlink: true)
        case .hardlink(let rawTarget):
            try link(entry, rawTarget: rawTarget, in: dir, name: name, path: target, existing: existing, layer: layer)
        case .fifo:
            if existing != nil { try root.removeTree(dir.fd, name) }
            if mkfifoat(dir.fd, name, 0o600) != 0 { throw writeError(target) }
            try setMetadata(EntryMetadata(entry), fd: dir.fd, name: name, path: target)
        case .characterDevice, .blockDevice:
            break
        }
    }

    private func writeFile(_ entry: ArchiveEntry, in dir: Int32, name: String, path: String, from reader: ArchiveReader) throws {
        // O_EXCL and O_NOFOLLOW: the name was just cleared, so anything there now is not ours to write through.
        let fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 { throw writeError(path) }
        defer { close(fd) }
        while true {
            let n: Int
            do {
                n = try reader.read(into: buffer)
            } catch let error as ArchiveError {
                if case .malformed(let archive, let reason) = error {
                    throw ArchiveError.malformed(archive: archive, reason: "\(reason), in entry '\(entry.rawPath)'")
                }
                throw error
            }
            if n == 0 { break }
            var offset = 0
            while offset < n {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, n - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw writeError(path)
                }
                offset += written
            }
        }
        try setMetadata(EntryMetadata(entry), fd: fd, name: nil, path: path)
    }

    private func link(
        _ entry: ArchiveEntry, rawTarget: String, in dir: RootedDirectory.Handle, name: String, path: String,
        existing: mode_t?, layer: String
    ) throws {
        let normalized: String?
        do {
            normalized = try ArchivePath.normalize(rawTarget, archive: layer, allowAbsolute: options.allowAbsolutePaths)
        } catch {
            throw ArchiveError.badHardlink(archive: layer, entry: entry.rawPath, target: rawTarget, reason: "climbs out of the root")
        }
        guard var parts = normalized?.split(separator: "/") else {
            throw ArchiveError.badHardlink(archive: layer, entry: entry.rawPath, target: rawTarget, reason: "points to the root directory")
        }
        let targetName = String(parts.removeLast())
        guard let targetDir = try root.directory(parts, create: false, archive: layer, entry: entry.rawPath),
            let type = root.fileType(targetDir.fd, targetName)
        else {
            throw ArchiveError.badHardlink(archive: layer, entry: entry.rawPath, target: rawTarget, reason: "points to nothing extracted so far")
        }
        guard type != S_IFDIR else {
            throw ArchiveError.badHardlink(archive: layer, entry: entry.rawPath, target: rawTarget, reason: "points to a directory")
        }
        if targetDir.path(of: targetName) == path { return }
        if existing != nil { try root.removeTree(dir.fd, name) }
        if linkat(targetDir.fd, targetName, dir.fd, name, 0) != 0 { throw writeError(path) }
    }

    private func skip(_ entry: ArchiveEntry, _ layer: String, _ why: String) {
        report.notes.append("\(layer): \(entry.rawPath): \(why)")
    }

    private func writeError(_ path: String) -> ArchiveError {
        .writeFailed(path: root.path + "/" + path, reason: String(cString: strerror(errno)))
    }

    /// Owner, then mode (chown clears setuid bits), then times; `name` nil means `fd` is the object itself.
    private func setMetadata(_ meta: EntryMetadata, fd: Int32, name: String?, path: String, symlink: Bool = false) throws {
        if options.applyOwnership, let uid = meta.uid, let gid = meta.gid {
            let status =
                name.map { fchownat(fd, $0, uid_t(truncatingIfNeeded: uid), gid_t(truncatingIfNeeded: gid), AT_SYMLINK_NOFOLLOW) }
                ?? fchown(fd, uid_t(truncatingIfNeeded: uid), gid_t(truncatingIfNeeded: gid))
            if status != 0 && errno != EPERM && errno != EINVAL { throw writeError(path) }
        }
        if !symlink {
            let mode = mode_t(meta.permissions)
            let status = name.map { fchmodat(fd, $0, mode, 0) } ?? fchmod(fd, mode)
            if status != 0 { throw writeError(path) }
        }
        if options.applyModificationTimes, let mtime = meta.modificationTime {
            var times = [timespec(tv_sec: Int(mtime), tv_nsec: 0), timespec(tv_sec: Int(mtime), tv_nsec: 0)]
            let status = name.map { utimensat(fd, $0, &times, AT_SYMLINK_NOFOLLOW) } ?? futimens(fd, &times)
            if status != 0 { throw writeError(path) }
        }
    }
}

/// The owner, mode and time to give an extracted object.
private struct EntryMetadata {
    var permissions: UInt32
    var uid: Int64?
    var gid: Int64?
    var modificationTime: Int64?

    init(_ entry: ArchiveEntry) {
        permissions = entry.permissions
        uid = entry.uid
        gid = entry.gid
        modificationTime = entry.modificationTime
    }

    init(permissions: UInt32, uid: Int64?, gid: Int64?, modificationTime: Int64?) {
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.modificationTime = modificationTime
    }

    /// A parent no entry described: root-owned 0755, time left as it is.
    static let implicitDirectory = EntryMetadata(permissions: 0o755, uid: 0, gid: 0, modificationTime: nil)
}
