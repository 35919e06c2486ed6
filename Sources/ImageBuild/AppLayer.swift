import Archive
import Foundation
import SystemSupport

/// The app layer: the build file's `app:` entries, checked against the OS layer beneath them.
///
/// File modes are normalized (0644, or 0755 where any execute bit is set; folders 0755) unless an
/// entry sets `mode:`, so a checkout gives the same digest whatever umask it was made with. A target
/// ending in `/` means "into this folder", as in a Dockerfile's COPY. `{arch}` in a source names the
/// architecture's own build, and a folder source leaves out `.git`, `__pycache__` and the entry's
/// `exclude:`. Nothing may replace a file or folder the packages ship, and folders the OS layer has
/// keep its owner and mode.
struct AppLayer {
    /// The OS layer the app goes on.
    let base: OSLayerIndex
    /// The build file, for messages.
    let buildFile: String
    /// The architecture being built: `{arch}` in a source is replaced by it.
    var architecture: String = BuildFile.hostArchitecture

    /// The tree of all app entries; later entries win where they overlap. A `workdir` the OS layer does
    /// not have is added (root-owned, as Docker's WORKDIR does), so the container can start in it.
    func tree(_ entries: [AppEntry], defaultOwner: (uid: Int64, gid: Int64), workdir: String?) throws -> LayerTree {
        var tree = LayerTree()
        if let workdir, let path = try ArchivePath.normalize(workdir, archive: "workdir") {
            let resolved = base.resolve(path, followLast: true)
            if base[resolved]?.kind != "dir" {
                try check(resolved, isDirectory: true) { "workdir \(workdir)" }
                tree.insert(.directory(), at: resolved)
            }
        }
        let fm = FileManager.default
        for (number, entry) in entries.enumerated() {
            let source = entry.source(for: architecture)
            let what = { "app[\(number)] (\(source) → \(entry.target))" }
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: source, isDirectory: &isDir) else {
                let perArch = source != entry.source ? " (for \(architecture))" : ""
                throw problem(entry, "app[\(number)].source: \(source) does not exist\(perArch)")
            }
            guard var target = try ArchivePath.normalize(entry.target, archive: "app target") else {
                throw problem(entry, "app[\(number)].target \(entry.target) is the image root; copy to a folder such as /app")
            }
            let uid = entry.uid ?? defaultOwner.uid
            let gid = entry.gid ?? defaultOwner.gid
            if isDir.boolValue {
                var scanned = try DirectoryScanner(modes: .normalized).scan(source)
                AppExclusion(patterns: AppEntry.defaultExclude + entry.exclude).apply(to: &scanned)
                target = base.resolve(target, followLast: true)
                try check(target, isDirectory: true, what)
                tree.insert(.directory(mode: 0o755, uid: uid, gid: gid), at: target)
                for path in scanned.sortedPaths() {
                    guard var node = scanned[path] else { continue }
                    node.uid = uid
                    node.gid = gid
                    if let mode = entry.mode, node.kind == .regular { node.permissions = mode }
                    if case .hardlink(let linked) = node.kind {
                        node.kind = .hardlink(target: base.resolve(target + "/" + linked, followLast: false))
                    }
                    let destination = base.resolve(target + "/" + path, followLast: node.kind == .directory)
                    try check(destination, isDirectory: node.kind == .directory, what)
                    tree.insert(node, at: destination)
                }
            } else {
                if entry.target.hasSuffix("/") { target += "/" + FilePaths.name(of: source) }
                target = base.resolve(target, followLast: false)
                try check(target, isDirectory: false, what)
                let attributes = try fm.attributesOfItem(atPath: source)
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
                let diskMode = UInt32((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o644)
                let mode = entry.mode ?? (diskMode & 0o111 != 0 ? 0o755 : 0o644)
                tree.insert(.file(.file(path: source, size: size), mode: mode, uid: uid, gid: gid), at: target)
            }
        }
        // Folders the OS layer already has keep its owner and mode (the app layer's entry would replace them).
        for path in tree.sortedPaths() {
            if let node = tree[path], node.kind == .directory, let existing = base[path], existing.kind == "dir" {
                tree.insert(.directory(mode: existing.mode, uid: existing.uid, gid: existing.gid), at: path)
            }
        }
        return tree
    }

    /// Refuses to put a file or folder at `path` where the OS layer has something it would replace: a
    /// file or link at the path itself (a folder only over a folder), or a file at any parent.
    private func check(_ path: String, isDirectory: Bool, _ what: () -> String) throws {
        if let existing = base[path] {
            if existing.kind == "dir" && !isDirectory {
                throw BuildError.appConflict(file: buildFile, message:
                    "\(what()) would replace the folder /\(path) that \(existing.from) ships; "
                        + "end the target with / to put the file into it (target: /\(path)/)")
            }
            if existing.kind != "dir" {
                let thing = existing.kind == "link" ? "the link /\(path) → \(existing.target ?? "")" : "/\(path)"
                throw BuildError.appConflict(file: buildFile, message: "\(what()) would replace \(thing) that \(existing.from) ships; choose another target")
            }
        }
        var parent = ArchivePath.parent(of: path)
        while let current = parent {
            if let existing = base[current], existing.kind != "dir" {
                throw BuildError.appConflict(file: buildFile, message:
                    "\(what()) would turn /\(current), which \(existing.from) ships as a file, into a folder; choose another target")
            }
            parent = ArchivePath.parent(of: current)
        }
    }

    private func problem(_ entry: AppEntry, _ message: String) -> BuildError {
        guard let location = entry.location else { return .appConflict(file: buildFile, message: message) }
        return .buildFile(file: buildFile, line: location.line, column: location.column, message: message)
    }
}
