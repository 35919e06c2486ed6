import Archive
import Binary
import Foundation
import ImageFormat
import Python
import SystemSupport

/// The wheels' layer, between the OS and the app: installed per PEP 427 into the folders Debian's python3 searches,
/// cached by content (the wheels' digests, the interpreter, the timestamp) so a warm build neither reads nor unpacks
/// a wheel.
struct PythonStage: LayerStage {
    let wheels: [LockedWheel]
    let python: PythonPackages
    /// The OS layer beneath.
    let base: OSLayerIndex
    let epoch: Int64
    let buildFile: String

    var runtime: PythonRuntime { python.runtime }
    var label: String { "python layer (\(wheels.count) wheels)" }

    /// What later steps need from the layer without reading it: its entries, its ELF files and its scripts' `#!` lines.
    struct Index: Codable, Equatable, Sendable {
        var entries: OSLayerIndex
        var elf: [String: ELFFile]
        /// Executable files starting with `#!`, and the line's interpreter.
        var shebangs: [String: String]
    }

    /// The wheels fetched (verified against the lock), installed, and checked against the OS layer.
    func make(scratch: String) async throws -> (tree: LayerTree, index: Index) {
        let paths = try await python.fetch(wheels)
        var tree = LayerTree()
        var owners: [String: String] = [:]
        let installer = WheelInstaller(scheme: runtime.scheme)
        for (index, (wheel, path)) in zip(wheels, paths).enumerated() {
            let folder = scratch + "/\(index)"
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
        return (tree, index)
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
    func cacheKey(writer: LayerWriter) -> Digest? {
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
}
