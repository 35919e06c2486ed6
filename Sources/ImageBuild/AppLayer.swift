import Archive
import Foundation

/// The app layer: the build file's `app:` entries, copied with their owner and mode.
enum AppLayer {
    /// The tree of all app entries; later entries win where they overlap. A `workdir` that no entry
    /// creates is added (root-owned, as Docker's WORKDIR does), so the container can start in it.
    static func tree(_ entries: [AppEntry], defaultOwner: (uid: Int64, gid: Int64), workdir: String?) throws -> LayerTree {
        var tree = LayerTree()
        if let workdir, let path = try ArchivePath.normalize(workdir, archive: "workdir") {
            tree.insert(.directory(), at: path)
        }
        let fm = FileManager.default
        for entry in entries {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: entry.source, isDirectory: &isDir) else {
                throw BuildError.appSource(path: entry.source, reason: "does not exist")
            }
            guard let target = try ArchivePath.normalize(entry.target, archive: "app target") else {
                throw BuildError.appSource(path: entry.source, reason: "target \(entry.target) is the image root; copy to a folder such as /app")
            }
            let uid = entry.uid ?? defaultOwner.uid
            let gid = entry.gid ?? defaultOwner.gid
            if isDir.boolValue {
                let scanned = try DirectoryScanner().scan(entry.source)
                tree.insert(.directory(mode: 0o755, uid: uid, gid: gid), at: target)
                for path in scanned.sortedPaths() {
                    var node = scanned[path]!
                    node.uid = uid
                    node.gid = gid
                    if let mode = entry.mode, node.kind == .regular { node.permissions = mode }
                    if case .hardlink(let linked) = node.kind { node.kind = .hardlink(target: target + "/" + linked) }
                    tree.insert(node, at: target + "/" + path)
                }
            } else {
                let attributes = try fm.attributesOfItem(atPath: entry.source)
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
                let mode = entry.mode ?? UInt32((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o644)
                tree.insert(.file(.file(path: entry.source, size: size), mode: mode, uid: uid, gid: gid), at: target)
            }
        }
        return tree
    }
}
