import Foundation

/// Raw tar bytes no writer would produce, for hostile-input tests.
public enum ForgedTar {
    /// A ustar header for a regular file `name` that says it holds `size` bytes (base-256 size field), then a
    /// little padding and none of that data: a decompression bomb that needs no compression at all.
    public static func regular(name: String, size: Int64) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte } }
        put(name, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        block[124] = 0x80
        for i in 0..<8 { block[135 - i] = UInt8(truncatingIfNeeded: size >> (8 * i)) }
        put("00000000000", at: 136)
        block[156] = UInt8(ascii: "0")
        put("ustar", at: 257)
        put("00", at: 263)
        // The checksum is computed with its own field as spaces.
        for i in 148..<156 { block[i] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum), at: 148)
        block[154] = 0
        return Data(block) + Data(count: 8192)
    }
}
