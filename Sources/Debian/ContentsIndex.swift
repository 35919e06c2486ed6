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
        // One buffer: the unfinished line of the previous chunk, the chunk, and a NUL for strstr.
        var capacity = 1 << 20
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var carried = 0
        while let chunk = try stream.next() {
            if carried + chunk.count + 2 > capacity {
                capacity = carried + chunk.count + 2
                let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
                larger.copyMemory(from: buffer, byteCount: carried)
                buffer.deallocate()
                buffer = larger
            }
            chunk.withUnsafeBytes { bytes in
                if let from = bytes.baseAddress { (buffer + carried).copyMemory(from: from, byteCount: bytes.count) }
            }
            let filled = carried + chunk.count
            // The last line break: only the unfinished last line is scanned backwards.
            var end = filled
            while end > 0, buffer.load(fromByteOffset: end - 1, as: UInt8.self) != 0x0A { end -= 1 }
            guard end > 0 else {
                carried = filled
                continue
            }
            search(buffer, upTo: end, needles: needles, paths: paths, into: &found)
            carried = filled - end
            if carried > 0 { memmove(buffer, buffer + end, carried) }
        }
        if carried > 0 {
            buffer.storeBytes(of: 0x0A, toByteOffset: carried, as: UInt8.self)
            search(buffer, upTo: carried + 1, needles: needles, paths: paths, into: &found)
        }
        return found
    }

    /// Finds every line of `buffer[0..<end]` (room for one more byte after it) whose path is one of `paths`, by
    /// looking for its file name with strstr: the text holds no NUL byte, so one is put after it.
    private static func search(
        _ raw: UnsafeMutableRawPointer, upTo end: Int, needles: Set<String>, paths: Set<String>, into found: inout [String: [String]]
    ) {
        guard memchr(raw, 0, end) == nil else { return }
        // The byte after the block starts the next, unfinished line: put it back afterwards.
        let saved = raw.load(fromByteOffset: end, as: UInt8.self)
        raw.storeBytes(of: 0, toByteOffset: end, as: UInt8.self)
        defer { raw.storeBytes(of: saved, toByteOffset: end, as: UInt8.self) }
        let buffer = UnsafeRawBufferPointer(start: raw, count: end)
        let base = raw.assumingMemoryBound(to: CChar.self)
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
