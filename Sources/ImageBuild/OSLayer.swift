import Archive
import Foundation
import SystemSupport

/// One Debian package's contribution to the OS layer, as unpacked from its .deb.
struct UnpackedPackage {
    var name: String
    /// Normalized paths and nodes (regular files point at staged content on disk).
    var entries: [(path: String, node: LayerNode)]
    /// `var/lib/dpkg/status.d/<name>` and `<name>.md5sums`, so scanners see the package.
    var status: [(path: String, node: LayerNode)]
}

/// Assembles the OS layer: package files, dpkg status records, the CA bundle, then the preset's own files.
enum OSLayer {
    static func tree(packages: [UnpackedPackage], skeleton: [(String, LayerNode)], debug: Bool = false) throws -> LayerTree {
        try build(packages: packages, skeleton: skeleton, debug: debug).tree
    }

    /// The tree, and which package put each path in it (`the preset` for the preset's own files); in a `debug`
    /// image busybox's binary goes under `/busybox` (``DebugShell``).
    static func build(
        packages: [UnpackedPackage], skeleton: [(String, LayerNode)], debug: Bool = false
    ) throws -> (tree: LayerTree, owners: [String: String]) {
        var tree = LayerTree()
        var owners: [String: String] = [:]
        var certificates: [(String, FileContent)] = []
        for package in packages.sorted(by: { $0.name < $1.name }) {
            let dataOnly = Preset.dataOnlyPackages.contains(package.name)
            let relocates = debug && package.name == DebugShell.package
            for (original, node) in package.entries {
                var path = original
                if path.hasPrefix("usr/share/ca-certificates/"), path.hasSuffix(".crt"), let content = node.content {
                    certificates.append((path, content))
                }
                if dataOnly && !Preset.keepsFromDataOnly(package.name, path) { continue }
                if relocates {
                    guard let moved = DebugShell.relocated(path) else { continue }
                    path = moved
                }
                owners[insert(node, at: path, into: &tree)] = package.name
            }
            for (path, node) in package.status {
                tree.insert(node, at: path)
                owners[path] = package.name
            }
        }
        if !certificates.isEmpty {
            tree.insert(.file(.bytes(try bundle(certificates))), at: Preset.certificateBundle)
            owners[Preset.certificateBundle] = "ca-certificates"
        }
        for (path, node) in skeleton { owners[insert(node, at: path, into: &tree)] = "the preset" }
        return (tree, owners)
    }

    /// What update-ca-certificates writes: every certificate in name order, each ending in a newline.
    static func bundle(_ certificates: [(String, FileContent)]) throws -> Data {
        var data = Data()
        for (_, content) in certificates.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }) {
            var pem = try content.open().readAll(limit: 1 << 20, what: "certificate")
            if pem.last != UInt8(ascii: "\n") { pem.append(UInt8(ascii: "\n")) }
            data.append(pem)
        }
        return data
    }

    /// Inserts at `path` after following directory symlinks already in the tree, as dpkg does when
    /// it unpacks `lib/x` onto a merged-/usr system where `lib` links to `usr/lib`; returns where it went.
    @discardableResult
    static func insert(_ node: LayerNode, at path: String, into tree: inout LayerTree) -> String {
        let resolved = canonical(path, in: tree)
        tree.insert(node, at: resolved)
        return resolved
    }

    static func canonical(_ path: String, in tree: LayerTree) -> String {
        canonical(path, followLast: false) { path in
            if case .symlink(let target)? = tree[path]?.kind { return target }
            return nil
        }
    }

    /// `path` with the symlinks that `linkTarget` knows followed: its parents, and itself when `followLast`.
    static func canonical(_ path: String, followLast: Bool, linkTarget: (String) -> String?) -> String {
        RootedPath.lexical(path, followLast: followLast, linkTarget: linkTarget)
    }
}
