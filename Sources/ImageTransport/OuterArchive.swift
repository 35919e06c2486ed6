import Archive
import Foundation
import ImageFormat
import SystemSupport

/// Packs and unpacks the tar that wraps an image (oci-archive, docker-archive), never the layers inside it.
enum OuterArchive {
    /// Unpacks `archive` into `directory`: regular files and directories only, links become aliases.
    /// Returns the aliases (`path -> target`, both normalized) that symlinks and hard links stood for.
    static func unpack(_ archive: String, into directory: String, image: String) throws -> [String: String] {
        let reader = try ArchiveReader(path: archive, format: .tar)
        var aliases: [String: String] = [:]
        let fm = FileManager.default
        // The archive may be compressed: bound what it unpacks to, as for layers.
        var budget = UnpackBudget(limit: try UnpackLimit.current())
        while let entry = try reader.nextEntry() {
            if entry.kind == .regular { try budget.take(entry.size, archive: archive, entry: entry.rawPath) }
            guard let path = try ArchivePath.normalize(entry.rawPath, archive: archive, allowAbsolute: false) else { continue }
            let target = directory + "/" + path
            switch entry.kind {
            case .directory:
                try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
            case .regular:
                try fm.createDirectory(atPath: FilePaths.directory(of: target), withIntermediateDirectories: true)
                let sink = try FileSink(path: target)
                try reader.copy(to: sink)
                try sink.finish()
            case .symlink(let link):
                // docker save links duplicate layers (`../<id>/layer.tar`); resolve inside the archive only.
                let base = link.hasPrefix("/") ? [] : (ArchivePath.parent(of: path)?.split(separator: "/").map(String.init) ?? [])
                guard let resolved = try resolveLexically(link, from: base, archive: archive, entry: path) else { continue }
                aliases[path] = resolved
            case .hardlink(let link):
                if let resolved = try ArchivePath.normalize(link, archive: archive, allowAbsolute: false) { aliases[path] = resolved }
            default:
                continue
            }
        }
        return aliases
    }

    /// `target` taken from the directory `base` (components), with `..` applied; refuses climbing above the top.
    /// (The unpacked outer archive holds no links, so every name walks as a directory.)
    private static func resolveLexically(_ target: String, from base: [String], archive: String, entry: String) throws -> String? {
        let components = base + target.split(separator: "/").map(String.init)
        let outcome: RootedPath.Outcome<Void>
        do {
            outcome = try RootedPath.walk(components, from: (), followLast: false, escape: .refuse) { _, _, _ in .directory(()) }
        } catch {
            throw ArchiveError.unsafePath(archive: archive, entry: entry + " -> " + target)
        }
        guard case .directory(_, let parts) = outcome, !parts.isEmpty else { return nil }
        return parts.joined(separator: "/")
    }

    /// Writes the OCI layout (plus any extra top-level files) in `directory` as a deterministic tar at `path`.
    static func pack(layout directory: String, extraFiles: [String: Data] = [:], to path: String) throws {
        var tree = LayerTree()
        let fm = FileManager.default
        for name in ["oci-layout", "index.json"] {
            let p = directory + "/" + name
            tree.insert(.file(.file(path: p, size: try size(p))), at: name)
        }
        for (name, data) in extraFiles { tree.insert(.file(.bytes(data)), at: name) }
        let blobs = directory + "/blobs"
        for algorithm in (try? fm.contentsOfDirectory(atPath: blobs)) ?? [] {
            for hex in try fm.contentsOfDirectory(atPath: blobs + "/" + algorithm) where !hex.hasPrefix(".") {
                let p = "\(blobs)/\(algorithm)/\(hex)"
                tree.insert(.file(.file(path: p, size: try size(p))), at: "blobs/\(algorithm)/\(hex)")
            }
        }
        // Nobody needs the archive's own digest: a plain tar stream, no hashing.
        try AtomicWrite.produce(path) { temp in
            let tar = try TarWriter(sink: try FileSink(path: temp), name: path)
            try LayerWriter(compression: .none).writeEntries(of: tree, to: tar)
            try tar.finish()
        }
    }

    private static func size(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }
}
