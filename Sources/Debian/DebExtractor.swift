import Archive
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One file, directory or link for the image, at its normalized path (`usr/lib/x86_64-linux-gnu/libc.so.6`).
public struct DebEntry: Sendable, Equatable {
    public var path: String
    public var node: LayerNode

    public init(path: String, node: LayerNode) {
        self.path = path
        self.node = node
    }
}

/// What a .deb contributes to an image.
public struct DebContents: Sendable {
    /// The package's control file (its `Package:` names it).
    public let control: ControlStanza
    /// The `md5sums` control member, if the package has one.
    public let md5sums: Data?
    /// The data entries the filter kept, in archive order; regular files point at staged copies on disk.
    public let entries: [DebEntry]

    /// The package name.
    public var package: String { control["Package"] ?? "" }

    /// `var/lib/dpkg/status.d/<pkg>` (the control stanza) and `<pkg>.md5sums`, as distroless images carry them.
    public var statusEntries: [DebEntry] {
        var result = [DebEntry(path: "var/lib/dpkg/status.d/\(package)", node: .file(.bytes(Data(control.text.utf8)), mode: 0o644))]
        if let md5sums {
            result.append(DebEntry(path: "var/lib/dpkg/status.d/\(package).md5sums", node: .file(.bytes(md5sums), mode: 0o644)))
        }
        return result
    }
}

/// Unpacks .deb files (ar; control.tar and data.tar with gz, xz, zstd or bzip2) through libarchive.
///
/// File contents are written under a staging directory; modes, owners and links stay in the returned
/// ``LayerNode``s, so nothing needs root and no link is ever created on disk (none can be followed).
public struct DebExtractor: Sendable {
    public var filter: DebPathFilter
    /// Small files are kept in memory while this allows (creating thousands of scratch files costs
    /// more than unpacking them); the rest is staged on disk. nil stages everything on disk.
    public var memoryBudget: MemoryBudget?
    /// The largest file kept in memory.
    public static let inMemoryLimit: Int64 = 1 << 20

    public init(filter: DebPathFilter = .distroless, memoryBudget: MemoryBudget? = nil) {
        self.filter = filter
        self.memoryBudget = memoryBudget
    }

    /// Extracts the .deb at `path` (called `name` in errors) and stages its kept files below `staging`.
    public func extract(deb path: String, name: String, into staging: URL) throws(DebianError) -> DebContents {
        do {
            return try extractUnchecked(path: path, name: name, staging: staging)
        } catch let error as DebianError {
            throw error
        } catch let error as ArchiveError {
            if case .unsafePath(_, let entry) = error { throw .unsafeDebEntry(deb: name, entry: entry) }
            throw .malformedDeb(deb: name, reason: error.description)
        } catch {
            throw .malformedDeb(deb: name, reason: "\(error)")
        }
    }

    private func extractUnchecked(path: String, name: String, staging: URL) throws -> DebContents {
        let outer = try ArchiveReader(path: path, format: .ar, name: name)
        var formatSeen = false
        var controlData: Data?
        var md5sums: Data?
        var entries: [DebEntry]?
        while let member = try outer.nextEntry() {
            var memberName = member.rawPath
            while memberName.hasSuffix("/") { memberName.removeLast() }
            if memberName == "debian-binary" {
                let version = String(decoding: try outer.readAll(limit: 64, what: "\(name) debian-binary"), as: UTF8.self)
                guard version.hasPrefix("2.") else { throw DebianError.malformedDeb(deb: name, reason: "format '\(version.trimmingBlanks())' is not 2.x") }
                formatSeen = true
            } else if memberName.hasPrefix("control.tar") {
                let inner = try ArchiveReader(source: outer, format: .tar, name: "\(name) (\(memberName))")
                while let entry = try inner.nextEntry() {
                    switch try ArchivePath.normalize(entry.rawPath, archive: name) {
                    case "control": controlData = try inner.readAll(limit: 1 << 20, what: "\(name) control")
                    case "md5sums": md5sums = try inner.readAll(limit: 16 << 20, what: "\(name) md5sums")
                    default: try inner.skipData()
                    }
                }
            } else if memberName.hasPrefix("data.tar") {
                let inner = try ArchiveReader(source: outer, format: .tar, name: "\(name) (\(memberName))")
                entries = try extractData(inner, name: name, staging: staging)
            }
        }
        guard formatSeen else { throw DebianError.malformedDeb(deb: name, reason: "no debian-binary member") }
        guard let controlData else { throw DebianError.malformedDeb(deb: name, reason: "no control file in control.tar") }
        guard let entries else { throw DebianError.malformedDeb(deb: name, reason: "no data.tar member") }
        let control = try Deb822.parseSingle(controlData, file: "\(name) control")
        guard control["Package"] != nil else { throw DebianError.missingField(file: "\(name) control", field: "Package") }
        return DebContents(control: control, md5sums: md5sums, entries: entries)
    }

    private func extractData(_ reader: ArchiveReader, name: String, staging: URL) throws -> [DebEntry] {
        var entries: [DebEntry] = []
        var staged: Set<String> = []
        var createdDirectories: Set<String> = []
        while let entry = try reader.nextEntry() {
            guard let path = try ArchivePath.normalize(entry.rawPath, archive: name) else {
                try reader.skipData()
                continue
            }
            guard filter.keeps(path) else {
                try reader.skipData()
                continue
            }
            let mode = entry.permissions
            switch entry.kind {
            case .regular:
                if entry.size <= Self.inMemoryLimit, memoryBudget?.take(entry.size) == true {
                    let data = try reader.readAll(limit: Int(Self.inMemoryLimit), what: "\(name): \(path)")
                    staged.insert(path)
                    entries.append(
                        DebEntry(path: path, node: LayerNode(kind: .regular, permissions: mode, uid: entry.uid, gid: entry.gid, content: .bytes(data))))
                    continue
                }
                let target = staging.appendingPathComponent(path).path
                if let parent = ArchivePath.parent(of: path), !createdDirectories.contains(parent) {
                    try makeDirectories(staging.appendingPathComponent(parent).path, name: name)
                    createdDirectories.insert(parent)
                }
                let sink = try FileSink(path: target, durable: false)
                try reader.copy(to: sink)
                try sink.finish()
                staged.insert(path)
                entries.append(
                    DebEntry(path: path, node: LayerNode(kind: .regular, permissions: mode, uid: entry.uid, gid: entry.gid, content: .file(path: target, size: sink.count))))
            case .hardlink(let rawTarget):
                guard let target = try ArchivePath.normalize(rawTarget, archive: name) else {
                    throw ArchiveError.unsafePath(archive: name, entry: entry.rawPath)
                }
                // A link to a file the filter left out is left out too.
                guard staged.contains(target) else { continue }
                entries.append(DebEntry(path: path, node: LayerNode(kind: .hardlink(target: target), permissions: mode, uid: entry.uid, gid: entry.gid)))
            default:
                entries.append(DebEntry(path: path, node: LayerNode(kind: entry.kind, permissions: mode, uid: entry.uid, gid: entry.gid)))
                try reader.skipData()
            }
        }
        return entries
    }

    private func makeDirectories(_ path: String, name: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DebianError.malformedDeb(deb: name, reason: "cannot stage directory \(path): \(error.localizedDescription)")
        }
    }
}
