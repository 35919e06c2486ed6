import Foundation

/// A fresh directory under the system temporary directory, removed by ``remove()`` or on deinit.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL

    /// Creates `…/distill-<label>-<uuid>` (lowercase, so that its name is also a valid default image name).
    public init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("distill-\(label)-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// Deletes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(at: url) }

    /// A path inside the directory.
    public func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// The directory's path.
    public var path: String { url.path }

    /// `path/name`, as a path string.
    public func callAsFunction(_ name: String) -> String { url.path + "/" + name }

    /// Every regular file below `directory` (relative paths, sorted), for "nothing was left behind" checks.
    public static func files(below directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var result: [String] = []
        let base = directory.standardizedFileURL.path
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let path = url.standardizedFileURL.path
            result.append(path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path)
        }
        return result.sorted()
    }
}

/// A writable stand-in for a read-only directory tree: every file is a symlink to the original, except
/// the ones asked for, which are real copies a test may damage.
public enum SymlinkTree {
    /// Mirrors `source` into `destination`; files at the relative paths in `copies` are copied instead of linked.
    public static func make(of source: URL, at destination: URL, copying copies: [String] = []) throws {
        let fm = FileManager.default
        let base = source.standardizedFileURL.path
        guard let enumerator = fm.enumerator(atPath: base) else { return }
        for case let relative as String in enumerator {
            let from = base + "/" + relative
            let to = destination.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: from, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try fm.createDirectory(atPath: to, withIntermediateDirectories: true)
            } else if copies.contains(relative) {
                try fm.copyItem(atPath: from, toPath: to)
                try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: to)
            } else {
                try fm.createSymbolicLink(atPath: to, withDestinationPath: from)
            }
        }
    }

    /// Flips every bit of the byte at `offset` (negative: from the end) of the file at `path`.
    public static func flipByte(at offset: Int, of path: URL) throws {
        var data = try Data(contentsOf: path)
        let index = offset >= 0 ? offset : data.count + offset
        data[index] ^= 0xFF
        try data.write(to: path)
    }
}
