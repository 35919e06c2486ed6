import Archive
import Foundation

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
    static func tree(packages: [UnpackedPackage], skeleton: [(String, LayerNode)]) throws -> LayerTree {
        var tree = LayerTree()
        var certificates: [(String, FileContent)] = []
        for package in packages.sorted(by: { $0.name < $1.name }) {
            let dataOnly = Preset.dataOnlyPackages.contains(package.name)
            for (path, node) in package.entries {
                if path.hasPrefix("usr/share/ca-certificates/"), path.hasSuffix(".crt"), let content = node.content {
                    certificates.append((path, content))
                }
                if dataOnly && !Preset.keepsFromDataOnly(package.name, path) { continue }
                insert(node, at: path, into: &tree)
            }
            for (path, node) in package.status { tree.insert(node, at: path) }
        }
        if !certificates.isEmpty {
            tree.insert(.file(.bytes(try bundle(certificates))), at: Preset.certificateBundle)
        }
        for (path, node) in skeleton { insert(node, at: path, into: &tree) }
        return tree
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
    /// it unpacks `lib/x` onto a merged-/usr system where `lib` links to `usr/lib`.
    static func insert(_ node: LayerNode, at path: String, into tree: inout LayerTree) {
        tree.insert(node, at: canonical(path, in: tree))
    }

    static func canonical(_ path: String, in tree: LayerTree) -> String {
        var resolved: [Substring] = []
        let components = path.split(separator: "/")
        var hops = 0
        var index = 0
        var pending = Array(components)
        while index < pending.count {
            let component = pending[index]
            let candidate = (resolved + [component]).joined(separator: "/")
            // Only parents are followed; the last component is what is being written.
            if index < pending.count - 1, case .symlink(let target)? = tree[candidate]?.kind, hops < 16 {
                hops += 1
                let base: [Substring] = target.hasPrefix("/") ? [] : resolved
                var next = base
                for part in target.split(separator: "/") {
                    if part == "." { continue }
                    if part == ".." { _ = next.popLast(); continue }
                    next.append(part)
                }
                pending = next + pending[(index + 1)...]
                resolved = []
                index = 0
                continue
            }
            resolved.append(component)
            index += 1
        }
        return resolved.joined(separator: "/")
    }
}
