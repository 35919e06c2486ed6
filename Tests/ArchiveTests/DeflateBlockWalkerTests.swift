import Foundation
import Testing
import TestSupport

@testable import Archive

@Suite("DeflateBlockWalker")
struct DeflateBlockWalkerTests {
    static func inputs() -> [(String, [UInt8])] {
        var random: [UInt8] = []
        var state: UInt64 = 99
        for _ in 0..<300_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            random.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        let periodic = (0..<400_000).map { UInt8(truncatingIfNeeded: $0 % 4093) }
        return [
            ("empty", []), ("one byte", [42]), ("short text", Array("hello, deflate".utf8)),
            ("words 5 KB", sampleBytes(5000, seed: 1)), ("words 70 KB", sampleBytes(70_000, seed: 2)),
            ("words 1 MiB", sampleBytes(1 << 20, seed: 3)), ("random 300 KB", random), ("periodic", periodic),
            ("zeros", [UInt8](repeating: 0, count: 200_000)), ("mixed", sampleBytes(100_000, seed: 4) + random.prefix(100_000)),
        ]
    }

    @Test("the walker finds the same final block as zlib's inflate, at every libdeflate level", arguments: [0, 1, 3, 6, 9, 12])
    func agreesWithZlib(level: Int32) throws {
        guard let library = Libdeflate.shared else { return }
        let compressor = library.alloc(level)!
        defer { library.free(compressor) }
        let reference = LibdeflateBlockCompressor(library: library, level: level)
        for (name, input) in Self.inputs() {
            let capacity = library.bound(compressor, input.count)
            var produced = 0
            let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                produced = input.withUnsafeBytes { library.compress(compressor, $0.baseAddress, input.count, buffer.baseAddress, capacity) }
                count = produced
            }
            #expect(produced > 0)
            let walked = output.withUnsafeBytes { DeflateBlockWalker.locateFinalBlock($0) }
            let inflated = try reference.locateFinalBlock(output, expectedLength: input.count)
            #expect(walked?.header == inflated.0 && walked?.end == inflated.1, "\(name) at level \(level)")
        }
    }

    @Test("garbage is answered with nil, never a crash")
    func garbage() {
        for seed in 1...200 {
            let bytes = sampleBytes(seed * 13, seed: UInt64(seed)).map { $0 ^ UInt8(truncatingIfNeeded: seed) }
            _ = bytes.withUnsafeBytes { DeflateBlockWalker.locateFinalBlock($0) }
        }
        #expect([UInt8]([0xFF, 0xFF]).withUnsafeBytes { DeflateBlockWalker.locateFinalBlock($0) } == nil)
    }
}
