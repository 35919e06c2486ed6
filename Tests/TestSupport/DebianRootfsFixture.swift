import Foundation

/// Root filesystems extracted from the frozen Debian mirror's .debs, built once and cached.
///
/// Each fixture lives in its own directory under the system temporary directory, named after a hash
/// of its recipe; it is built in a scratch directory and renamed into place, so concurrent test
/// processes and parallel tests never see a half-built tree. Tests must treat it as read-only
/// (use `hardLinkClone` for a copy that may lose or replace files).
public enum DebianRootfsFixture {
    /// The frozen mirror's pool (read-only shared test data).
    public static var pool: URL { SharedTestData.debianMirror.appendingPathComponent("pool") }

    /// Finds the .deb files whose names start with each of `prefixes` (first match in the pool, sorted).
    public static func debs(_ prefixes: [String]) throws -> [URL] {
        let all = try allDebs()
        return try prefixes.map { prefix in
            guard let match = all.first(where: { $0.lastPathComponent.hasPrefix(prefix) }) else {
                throw FixtureError("no .deb starting with '\(prefix)' in \(pool.path)")
            }
            return match
        }
    }

    /// Returns the cached root filesystem for `name`, building it with `debs` then `customize` if needed.
    public static func rootfs(
        name: String, version: Int, debs: [URL], customize: (URL) throws -> Void
    ) throws -> URL {
        let key = ([name, "v\(version)"] + debs.map(\.lastPathComponent)).joined(separator: "|")
        let hash = String(stableHash(key), radix: 16)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("distill-test-fixtures")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let final = base.appendingPathComponent("\(name)-\(hash)")
        if FileManager.default.fileExists(atPath: final.appendingPathComponent(".complete").path) { return final }

        let scratch = base.appendingPathComponent("\(name)-\(hash).building-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        do {
            for deb in debs {
                try Tool.check(["dpkg-deb", "-x", deb.path, scratch.path])
                let control = try Tool.check(["dpkg-deb", "-f", deb.path])
                let package = control.split(separator: "\n").first { $0.hasPrefix("Package: ") }?
                    .dropFirst("Package: ".count) ?? Substring(deb.lastPathComponent)
                let statusDir = scratch.appendingPathComponent("var/lib/dpkg/status.d")
                try FileManager.default.createDirectory(at: statusDir, withIntermediateDirectories: true)
                try Data(control.utf8).write(to: statusDir.appendingPathComponent(String(package)))
            }
            try customize(scratch)
            try Data().write(to: scratch.appendingPathComponent(".complete"))
            if rename(scratch.path, final.path) != 0 {
                // Another process finished first; keep its copy.
                try? FileManager.default.removeItem(at: scratch)
            }
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
        return final
    }

    /// A copy of `source` made of hard links: cheap, and safe as long as files are only removed or
    /// replaced (unlink then create), never written in place.
    public static func hardLinkClone(of source: URL) throws -> URL {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("distill-test-clone-\(getpid())-\(UUID().uuidString.prefix(8))")
        try Tool.check(["cp", "-a", "-l", source.path, target.path])
        return target
    }

    private static func allDebs() throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: pool, includingPropertiesForKeys: nil) else {
            throw FixtureError("cannot read \(pool.path)")
        }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "deb" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// FNV-1a: stable across processes, unlike `Hasher`.
    private static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
