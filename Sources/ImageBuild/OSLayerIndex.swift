import Archive
import Foundation

/// What the OS layer holds at each path and which package put it there. The app layer is checked
/// against it (an app file must not replace what the packages ship) and takes the owner and mode of
/// the folders it shares with it, so `/tmp` stays 1777 and `/etc` root's. Kept beside the cached OS
/// layer, so a warm rebuild has it without unpacking anything.
struct OSLayerIndex: Codable, Equatable, Sendable {
    struct Entry: Codable, Equatable, Sendable {
        /// `dir`, `file`, `link` or `other`.
        var kind: String
        /// A symbolic link's target.
        var target: String?
        var mode: UInt32
        var uid: Int64
        var gid: Int64
        /// The package that ships it, or what else made it (`the preset`).
        var from: String

        /// The index's kind (`dir`, `file`, `link`, `other`) of a tar entry kind, and a link's target.
        static func kind(of kind: EntryKind) -> (kind: String, target: String?) {
            switch kind {
            case .directory: return ("dir", nil)
            case .regular, .hardlink: return ("file", nil)
            case .symlink(let to): return ("link", to)
            default: return ("other", nil)
            }
        }
    }

    /// Normalized path (`usr/bin`) → entry.
    var entries: [String: Entry]

    /// The index of `tree`; `owners` says which package put each path there.
    init(tree: LayerTree, owners: [String: String]) {
        var entries: [String: Entry] = [:]
        for (path, node) in tree.nodes {
            let (kind, target) = Entry.kind(of: node.kind)
            entries[path] = Entry(kind: kind, target: target, mode: node.permissions, uid: node.uid, gid: node.gid, from: owners[path] ?? "the OS layer")
        }
        self.entries = entries
    }

    subscript(path: String) -> Entry? { entries[path] }

    /// `path` with the directory links of the OS layer followed (`bin/app` → `usr/bin/app` where `bin`
    /// links to `usr/bin`), as dpkg and Docker's COPY resolve them; the last component too when `followLast`.
    func resolve(_ path: String, followLast: Bool) -> String {
        OSLayer.canonical(path, followLast: followLast) { entries[$0]?.kind == "link" ? entries[$0]?.target : nil }
    }
}
