import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A suite's `Contents-<arch>` index (which package ships each path), searched for a few paths as it is
/// decompressed: it is ~150 MB of text, so it is never held whole, and the search runs at memmem's speed.
public enum ContentsIndex {
    /// The packages shipping each of `paths` (normalised: `usr/lib/x86_64-linux-gnu/libz.so.1`) that the index lists.
    public static func packages(shipping paths: Set<String>, file: String, name: String) throws(DebianError) -> [String: [String]] {
        guard !paths.isEmpty else { return [:] }
        let needles = Set(paths.map { "/" + ($0.split(separator: "/").last.map(String.init) ?? $0) })
        var found: [String: [String]] = [:]
        let stream = try DecompressingStream(path: file, name: name)
        defer { stream.stop() }
        var carry: [UInt8] = []
        while let chunk = try stream.next() {
            var block = carry
            block.append(contentsOf: chunk)
            guard let lastNewline = block.lastIndex(of: 0x0A) else {
                carry = block
                continue
            }
            carry = Array(block[(lastNewline + 1)...])
            search(block, upTo: lastNewline + 1, needles: needles, paths: paths, into: &found)
        }
        if !carry.isEmpty {
            carry.append(0x0A)
            search(carry, upTo: carry.count, needles: needles, paths: paths, into: &found)
        }
        return found
    }

    /// Finds every line of `block[0..<end]` whose path is one of `paths`, by looking for its file name with
    /// strstr (the text holds no NUL byte, so a NUL is put after it).
    private static func search(_ block: [UInt8], upTo end: Int, needles: Set<String>, paths: Set<String>, into found: inout [String: [String]]) {
        var block = Array(block[..<end])
        if block.contains(0) { return }
        block.append(0)
        block.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
            for needle in needles {
                let length = needle.utf8.count
                var offset = 0
                while offset < end {
                    guard let hit = strstr(base + offset, needle) else { break }
                    let position = base.distance(to: hit)
                    offset = position + length
                    // The path must end here: a blank separates it from the package list.
                    guard offset < end, buffer[offset] == 0x20 || buffer[offset] == 0x09 else { continue }
                    var lineStart = position
                    while lineStart > 0, buffer[lineStart - 1] != 0x0A { lineStart -= 1 }
                    var lineEnd = offset
                    while lineEnd < end, buffer[lineEnd] != 0x0A { lineEnd += 1 }
                    let path = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[lineStart..<offset]), as: UTF8.self)
                    let normalized = path.hasPrefix("/") ? String(path.dropFirst()) : path
                    guard paths.contains(normalized) else { continue }
                    let rest = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<lineEnd]), as: UTF8.self)
                    let field = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? ""
                    for item in field.split(separator: ",") {
                        let package = String(item.split(separator: "/").last ?? item)
                        if !found[normalized, default: []].contains(package) { found[normalized, default: []].append(package) }
                    }
                }
            }
        }
    }
}

extension DebianRepository {
    /// The verified `Contents-<architecture>` index of every configured suite and component whose release lists one
    /// (checked against InRelease's SHA256, like Packages); returns (cache path, URL) pairs.
    public func contentsFiles(architecture: String) async throws(DebianError) -> [(path: String, url: String)] {
        var files: [(String, String)] = []
        for suite in sources.suites {
            let release = try await release(of: suite)
            for component in suite.components {
                let base = "\(component)/Contents-\(architecture)"
                guard let (relative, checksum) = [".gz", ".xz", ""].lazy.compactMap({ ext in release.sha256[base + ext].map { (base + ext, $0) } }).first
                else { continue }
                let url = suite.distsURL(relative)
                let path = try await cachedEntry(url: url, name: "\(suite.name)/\(relative)", sha256: checksum.sha256, size: checksum.size)
                files.append((path, url))
            }
        }
        return files
    }
}
