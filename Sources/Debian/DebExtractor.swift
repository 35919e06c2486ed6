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
    /// The most file bytes a package may unpack to (control and data); nil: ``UnpackLimit/current(environment:)``.
    public var unpackLimit: UnpackLimit?

    public init(filter: DebPathFilter = .distroless, memoryBudget: MemoryBudget? = nil, unpackLimit: UnpackLimit? = nil) {
        self.filter = filter
        self.memoryBudget = memoryBudget
        self.unpackLimit = unpackLimit
    }

    /// Extracts the .deb at `path` (called `name` in errors) and stages its kept files below `staging`.
    ///
    /// With `expected` (the package and version the index lists for this file), a control file naming another
    /// package or version is refused: what goes in the image is what was resolved, or nothing.
    public func extract(
        deb path: String, name: String, into staging: URL, expected: (package: String, version: String)? = nil
    ) throws(DebianError) -> DebContents {
        do {
            let contents = try extractUnchecked(path: path, name: name, staging: staging)
            if let expected { try Self.check(contents.control, against: expected, deb: name) }
            return contents
        } catch let error as DebianError {
            throw error
        } catch let error as ArchiveError {
            if case .unsafePath(_, let entry) = error { throw .unsafeDebEntry(deb: name, entry: entry) }
            if case .unpackLimit = error { throw .unpackLimit(deb: name, detail: error.description) }
            throw .malformedDeb(deb: name, reason: error.description)
        } catch {
            throw .malformedDeb(deb: name, reason: "\(error)")
        }
    }

    /// Throws unless the control file's Package and Version are the ones the index promised.
    static func check(_ control: ControlStanza, against expected: (package: String, version: String), deb: String) throws(DebianError) {
        let package = control["Package"] ?? ""
        if package != expected.package {
            throw .debMismatch(deb: deb, field: "Package", expected: expected.package, found: package)
        }
        let version = control["Version"] ?? ""
        let same = (try? DebianVersion(version)).flatMap { found in (try? DebianVersion(expected.version)).map { found == $0 } } ?? false
        if !same { throw .debMismatch(deb: deb, field: "Version", expected: expected.version, found: version) }
    }

    private func extractUnchecked(path: String, name: String, staging: URL) throws -> DebContents {
        var budget = UnpackBudget(limit: try unpackLimit ?? UnpackLimit.current())
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
                    if entry.kind == .regular { try budget.take(entry.size, archive: "\(name) (\(memberName))", entry: entry.rawPath) }
                    switch try ArchivePath.normalize(entry.rawPath, archive: name) {
                    case "control": controlData = try inner.readAll(limit: 1 << 20, what: "\(name) control")
                    case "md5sums": md5sums = try inner.readAll(limit: 16 << 20, what: "\(name) md5sums")
                    default: try inner.skipData()
                    }
                }
            } else if memberName.hasPrefix("data.tar") {
                let inner = try ArchiveReader(source: outer, format: .tar, name: "\(name) (\(memberName))")
                entries = try extractData(inner, name: name, member: memberName, staging: staging, budget: &budget)
            }
        }
        guard formatSeen else { throw DebianError.malformedDeb(deb: name, reason: "no debian-binary member") }
        guard let controlData else { throw DebianError.malformedDeb(deb: name, reason: "no control file in control.tar") }
        guard let entries else { throw DebianError.malformedDeb(deb: name, reason: "no data.tar member") }
        let control = try Deb822.parseSingle(controlData, file: "\(name) control")
        guard control["Package"] != nil else { throw DebianError.missingField(file: "\(name) control", field: "Package") }
        return DebContents(control: control, md5sums: md5sums, entries: entries)
    }

    private func extractData(
        _ reader: ArchiveReader, name: String, member: String, staging: URL, budget: inout UnpackBudget
    ) throws -> [DebEntry] {
        var entries: [DebEntry] = []
        var staged: Set<String> = []
        var createdDirectories: Set<String> = []
        /// Every path met so far, and whether it was a directory.
        var seen: [String: Bool] = [:]
        while let entry = try reader.nextEntry() {
            // Counted from the header, before any data is read: even a skipped entry costs decompression.
            if entry.kind == .regular { try budget.take(entry.size, archive: "\(name) (\(member))", entry: entry.rawPath) }
            guard let path = try ArchivePath.normalize(entry.rawPath, archive: name) else {
                try reader.skipData()
                continue
            }
            // dpkg-deb never writes a path twice; a second file, link or directory-turned-file at one path
            // is a forged package (which copy would win depends on the reader), so it is refused.
            let isDirectory = entry.kind == .directory
            if let before = seen.updateValue(isDirectory, forKey: path), !(before && isDirectory) {
                throw DebianError.malformedDeb(deb: name, reason: "\(member) holds '\(path)' twice")
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
