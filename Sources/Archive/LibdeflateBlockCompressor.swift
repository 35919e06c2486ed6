import CZlib
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// libdeflate's entry points, resolved with dlopen so the package neither links nor requires it.
final class Libdeflate: @unchecked Sendable {
    typealias Alloc = @convention(c) (Int32) -> OpaquePointer?
    typealias Compress = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, Int) -> Int
    typealias Bound = @convention(c) (OpaquePointer?, Int) -> Int
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias Checksum = @convention(c) (UInt32, UnsafeRawPointer?, Int) -> UInt32

    let alloc: Alloc
    let compress: Compress
    let bound: Bound
    let free: Free
    let crc32: Checksum

    /// The loaded library, or nil when `libdeflate.so.0` is not installed.
    static let shared: Libdeflate? = Libdeflate()

    private init?() {
        guard let handle = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL) else { return nil }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(handle, name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        guard let alloc = symbol("libdeflate_alloc_compressor", as: Alloc.self),
            let compress = symbol("libdeflate_deflate_compress", as: Compress.self),
            let bound = symbol("libdeflate_deflate_compress_bound", as: Bound.self),
            let free = symbol("libdeflate_free_compressor", as: Free.self),
            let crc32 = symbol("libdeflate_crc32", as: Checksum.self)
        else {
            dlclose(handle)
            return nil
        }
        self.alloc = alloc
        self.compress = compress
        self.bound = bound
        self.free = free
        self.crc32 = crc32
    }
}

/// Compresses blocks with libdeflate and makes each one a non-final, byte-aligned piece of a larger stream.
///
/// libdeflate only writes complete deflate streams, whose last block has the BFINAL bit set at a position
/// it does not report. zlib's `inflate(Z_BLOCK)` stops at every block boundary and tells the bit offset
/// (the technique of zlib's gzjoin example), so the block is inflated once into scratch memory — which
/// also proves it decodes to the input's length — then BFINAL is cleared and an empty stored block
/// (the sync-flush marker) restores byte alignment for the next piece.
final class LibdeflateBlockCompressor: BlockCompressor {
    private let library: Libdeflate
    private let compressor: OpaquePointer?
    private var inflater = z_stream()
    private let inflaterReady: Bool
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    init(library: Libdeflate, level: Int32) {
        self.library = library
        compressor = library.alloc(level)
        inflaterReady = inflateInit2_(&inflater, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if let compressor { library.free(compressor) }
        if inflaterReady { inflateEnd(&inflater) }
        scratch.deallocate()
    }

    func checksum(_ input: UnsafeRawBufferPointer) -> UInt {
        UInt(library.crc32(0, input.baseAddress, input.count))
    }

    func compress(_ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer, last: Bool) throws(ArchiveError) -> [UInt8] {
        guard let compressor, inflaterReady else {
            throw .encodingFailed(what: "gzip", reason: "libdeflate could not allocate a compressor")
        }
        let capacity = library.bound(compressor, input.count) + 8
        var produced = 0
        var output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            produced = library.compress(compressor, input.baseAddress, input.count, buffer.baseAddress, capacity)
            count = produced
        }
        if produced == 0 { throw .encodingFailed(what: "gzip", reason: "libdeflate found its output bound too small") }
        if last { return output }
        let (finalHeaderBit, endBit) = try locateFinalBlock(output, expectedLength: input.count)
        output[finalHeaderBit >> 3] &= ~UInt8(1 << (finalHeaderBit & 7))
        let usedBits = endBit & 7
        if usedBits != 0 { output[endBit >> 3] &= UInt8((1 << usedBits) - 1) }
        // An empty stored block: three zero header bits, zero padding to the byte, LEN 0, NLEN 0xFFFF.
        if usedBits == 0 || usedBits > 5 { output.append(0) }
        output.append(contentsOf: [0x00, 0x00, 0xFF, 0xFF])
        return output
    }

    /// The bit offsets where the final block's header starts and where the stream's last block ends.
    private func locateFinalBlock(_ deflated: [UInt8], expectedLength: Int) throws(ArchiveError) -> (Int, Int) {
        inflateReset(&inflater)
        var header = 0
        var end: Int?
        deflated.withUnsafeBytes { compressed in
            inflater.next_in = UnsafeMutablePointer(mutating: compressed.baseAddress!.assumingMemoryBound(to: Bytef.self))
            inflater.avail_in = uInt(compressed.count)
            while end == nil {
                inflater.next_out = scratch.baseAddress!.assumingMemoryBound(to: Bytef.self)
                inflater.avail_out = uInt(scratch.count)
                let status = inflate(&inflater, Z_BLOCK)
                if status != Z_OK && status != Z_BUF_ERROR { return }
                let flags = Int(inflater.data_type)
                if flags & 128 != 0 {
                    // Stopped just after an end-of-block code; the low bits are unused bits of the last byte read.
                    let position = Int(inflater.total_in) * 8 - (flags & 7)
                    if flags & 64 != 0 { end = position } else { header = position }
                } else if inflater.avail_out != 0 && inflater.avail_in == 0 {
                    return
                }
            }
        }
        guard let end, Int(inflater.total_out) == expectedLength, (deflated.count * 8 - end) < 8 else {
            throw .encodingFailed(what: "gzip", reason: "libdeflate output did not round-trip through zlib")
        }
        return (header, end)
    }
}
