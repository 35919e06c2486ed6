import Archive
import Binary
import Foundation
import ImageFormat
import Python
import SystemSupport

/// The wheels' layer, between the OS and the app: installed per PEP 427 into the folders Debian's python3 searches,
/// cached by content (the wheels' digests, the interpreter, the timestamp) so a warm build unpacks nothing.
struct PythonLayer {
    let runtime: PythonRuntime
    let cache: LayerCache
    let buildFile: String
    /// The registry layer cache, asked before the local one and offered what this builds.
    var shared: (any SharedLayerCache)? = nil

    /// What later steps need from the layer without reading it: its entries, its ELF files and its scripts' `#!` lines.
    struct Index: Codable, Equatable, Sendable {
        var entries: OSLayerIndex
        var elf: [String: ELFFile]
        /// Executable files starting with `#!`, and the line's interpreter.
        var shebangs: [String: String]
    }

    /// The layer's bytes and index, from the cache or built from `wheels` (whose verified files are at `paths`).
    func layer(
        wheels: [LockedWheel], paths: [String], base: OSLayerIndex, writer: LayerWriter, epoch: Int64, file: String, scratch: String
    ) async throws -> (blob: LayerBlob, index: Index, reused: Bool) {
        let key = self.key(wheels: wheels, base: base, epoch: epoch, writer: writer)
        await shared?.fill(key, kind: .python, into: cache)
        if let index = storedIndex(key), let blob = cache.lookup(key, copyTo: file) {
            await shared?.offer(key, kind: .python, from: cache)
            return (blob, index, true)
        }
        let staging = try PrivateDirectory(prefix: "python", under: scratch)
        defer { try? staging.remove() }
        var tree = LayerTree()
        var owners: [String: String] = [:]
        let installer = WheelInstaller(scheme: runtime.scheme)
        for (index, (wheel, path)) in zip(wheels, paths).enumerated() {
            let folder = staging.path + "/\(index)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            _ = try installer.install(wheel: path, filename: wheel.filename, into: &tree, owners: &owners, staging: folder)
        }
        try checkAgainst(base, tree: tree, owners: owners)
        // Folders the OS layer has keep its owner and mode.
        for path in tree.sortedPaths() {
            if let node = tree[path], node.kind == .directory, let existing = base[path], existing.kind == "dir" {
                tree.insert(.directory(mode: existing.mode, uid: existing.uid, gid: existing.gid), at: path)
            }
        }
        let index = Index(
            entries: OSLayerIndex(tree: tree, owners: owners), elf: try NativeLibraries.elfFiles(in: tree), shebangs: Self.shebangs(in: tree))
        let blob = try await BlockingWork.run { [tree] in try writer.write(tree, to: file) }
        storeIndex(key, index)
        cache.store(key, blob: blob, file: file)
        await shared?.offer(key, kind: .python, from: cache)
        return (blob, index, false)
    }

    /// A wheel must not replace what the OS layer ships (a file, or a link to follow).
    private func checkAgainst(_ base: OSLayerIndex, tree: LayerTree, owners: [String: String]) throws {
        for path in tree.sortedPaths() where tree[path]?.kind != .directory {
            if let existing = base[path] {
                throw BuildError.pythonDependencies(
                    "\(buildFile): the wheel \(owners[path] ?? "") would replace /\(path), which \(existing.from) ships; "
                        + "leave the Debian package out or the wheel out")
            }
            var parent = ArchivePath.parent(of: path)
            while let current = parent {
                if let existing = base[current], existing.kind != "dir" {
                    throw BuildError.pythonDependencies(
                        "\(buildFile): the wheel \(owners[path] ?? "") installs /\(path) below /\(current), which \(existing.from) ships as a \(existing.kind)")
                }
                parent = ArchivePath.parent(of: current)
            }
        }
    }

    /// `#!` interpreters of the executable files whose content is known (generated scripts and staged files).
    static func shebangs(in tree: LayerTree) -> [String: String] {
        var result: [String: String] = [:]
        for (path, node) in tree.nodes where node.kind == .regular && node.permissions & 0o111 != 0 {
            if let content = node.content, let interpreter = EntrypointCheck.interpreter(of: content) { result[path] = interpreter }
        }
        return result
    }

    /// Everything that decides the layer's bytes.
    private func key(wheels: [LockedWheel], base: OSLayerIndex, epoch: Int64, writer: LayerWriter) -> Digest {
        var hasher = SHA256Hasher()
        func add(_ text: String) { hasher.update(Data((text + "\n").utf8)) }
        add(LayerCache.formatVersion)
        add(writer.cacheIdentity)
        add("python-layer-1 epoch \(epoch)")
        let scheme = runtime.scheme
        add("scheme \(scheme.sitePackages) \(scheme.scripts) \(scheme.headers) \(scheme.data) \(scheme.interpreter)")
        for wheel in wheels { add("wheel \(wheel.filename) \(wheel.sha256)") }
        // The OS folders the wheels' folders take their owner and mode from.
        for path in ["usr", "usr/bin", "usr/lib", "usr/lib/python3", scheme.sitePackages, "usr/include", scheme.headers, "usr/share"] {
            if let entry = base[path] { add("base \(path) \(entry.kind) \(entry.mode) \(entry.uid):\(entry.gid)") }
        }
        return hasher.finalize()
    }

    private func storedIndex(_ key: Digest) -> Index? {
        let path = cache.directory + "/\(key.encoded).python.json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Index.self, from: data)
    }

    private func storeIndex(_ key: Digest, _ index: Index) {
        try? FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(index) { try? AtomicWrite.write(data, to: cache.directory + "/\(key.encoded).python.json") }
    }
}
