import Archive
import Foundation
import ImageFormat
import TestSupport

/// Deterministic test data: word-like runs with random bytes mixed in, so deflate finds matches but works for them.
func sampleBytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    let words: [[UInt8]] = ["layer", "tar", "gzip", "distill", "debian", "/usr/lib/", "python3", "\n", " ", "0x7f"].map {
        Array($0.utf8)
    }
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    var out: [UInt8] = []
    out.reserveCapacity(count + 16)
    while out.count < count {
        let r = next()
        if r % 5 == 0 {
            out.append(UInt8(truncatingIfNeeded: r >> 8))
        } else {
            out.append(contentsOf: words[Int((r >> 16) % UInt64(words.count))])
        }
    }
    return Array(out.prefix(count))
}

/// The sha256 of a file, streamed.
func sha256(ofFile path: String) throws -> Digest {
    let hasher = HashingSink(nil)
    try FileSource(path: path).copy(to: hasher)
    return hasher.digest
}

/// Writes `bytes` to `path`, creating parent directories.
func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    chmod(path, mode)
}

/// Gzip-compresses `input` with the given settings, writing it in pieces of `chunk` bytes.
func gzipBytes(
    _ input: [UInt8], engine: GzipEngine = .zlib, threads: Int = 2, blockSize: Int = 64 << 10, chunk: Int = 1 << 20,
    level: Int = 6
) throws -> Data {
    let sink = DataSink()
    let gzip = try ParallelGzipSink(downstream: sink, level: level, blockSize: blockSize, threads: threads, engine: engine)
    try input.withUnsafeBytes { all in
        var offset = 0
        while offset < all.count {
            let n = min(chunk, all.count - offset)
            try gzip.write(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)]))
            offset += n
        }
    }
    try gzip.finish()
    return sink.data
}

/// The engines this machine can run (libdeflate is optional at run time).
let availableEngines: [GzipEngine] = [.zlib, .libdeflate].filter(\.isAvailable)

/// Checks with python's zlib that `path` is exactly one gzip member with nothing after it; returns the sha256 of its content.
func pythonSingleMemberDigest(_ path: String) throws -> String {
    let script = """
        import hashlib, sys, zlib
        data = open(sys.argv[1], 'rb').read()
        d = zlib.decompressobj(31)
        out = d.decompress(data) + d.flush()
        if not d.eof or d.unused_data:
            sys.exit('not exactly one gzip member: eof=%s unused=%d' % (d.eof, len(d.unused_data)))
        print(hashlib.sha256(out).hexdigest())
        """
    return try Tool.check(["python3", "-c", script, path]).trimmingCharacters(in: .whitespacesAndNewlines)
}
