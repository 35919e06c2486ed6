/// OCI whiteout names: how a layer deletes what lower layers put in place.
///
/// `dir/.wh.name` hides `dir/name` (and everything below it) from lower layers; `dir/.wh..wh..opq`
/// makes `dir` opaque, hiding everything lower layers put in it. Neither hides what the same layer
/// adds, wherever it appears in the tar, and neither is ever created as a file. Other `.wh..wh.`
/// names are AUFS bookkeeping and are ignored.
public enum Whiteout: Equatable, Sendable {
    /// Delete `name` (a sibling of the whiteout file) from lower layers.
    case remove(name: String)
    /// Delete everything lower layers put in the whiteout file's directory.
    case opaque
    /// An AUFS-internal `.wh..wh.` name: neither a file nor an instruction.
    case ignored

    /// The prefix that marks a whiteout.
    public static let prefix = ".wh."
    /// The name that marks an opaque directory.
    public static let opaqueMarker = ".wh..wh..opq"

    /// The whiteout a base name stands for, or nil for an ordinary name.
    public init?(basename: String) {
        guard basename.hasPrefix(Self.prefix) else { return nil }
        if basename == Self.opaqueMarker {
            self = .opaque
        } else if basename.hasPrefix(".wh..wh.") {
            self = .ignored
        } else {
            let name = String(basename.dropFirst(Self.prefix.count))
            self = name.isEmpty || name == "." || name == ".." ? .ignored : .remove(name: name)
        }
    }
}
