/// Finds where the final block of a raw deflate stream (RFC 1951) starts and where the stream ends,
/// by decoding only code lengths: no output is produced and no match is copied.
///
/// Used to splice libdeflate's complete streams into one: several times cheaper than inflating.
/// It answers nil on anything it does not understand, and the caller then falls back to zlib.
enum DeflateBlockWalker {
    /// Bit offsets of the final block's header and of the end of that block, or nil.
    static func locateFinalBlock(_ data: UnsafeRawBufferPointer) -> (header: Int, end: Int)? {
        var reader = BitReader(data)
        var tables = HuffmanTables()
        while true {
            let header = reader.position
            let final = reader.take(1)
            let type = reader.take(2)
            switch type {
            case 0:
                reader.alignToByte()
                let length = reader.take(16)
                let complement = reader.take(16)
                guard length == ~complement & 0xFFFF else { return nil }
                reader.skip(Int(length) * 8)
            case 1:
                guard walkSymbols(&reader, literals: HuffmanTables.fixed.literals, distances: HuffmanTables.fixed.distances) else {
                    return nil
                }
            case 2:
                guard tables.readDynamic(&reader), walkSymbols(&reader, literals: tables.literals, distances: tables.distances)
                else { return nil }
            default:
                return nil
            }
            guard reader.position <= reader.bitCount else { return nil }
            if final == 1 { return (header, reader.position) }
        }
    }

    /// Consumes symbols up to and including end-of-block. The hot loop of the walk: one 64-bit load
    /// serves several symbols, and the tables are read through raw pointers.
    private static func walkSymbols(_ reader: inout BitReader, literals: HuffmanTable, distances: HuffmanTable) -> Bool {
        literals.entries.withUnsafeBufferPointer { lit in
            distances.entries.withUnsafeBufferPointer { dist in
                let limit = reader.bitCount
                var position = reader.position
                var word: UInt64 = 0
                var available = 0
                // A length code with its extra bits takes at most 20 bits, a distance at most 28.
                while position <= limit {
                    if available < 48 {
                        reader.position = position
                        word = reader.peek()
                        available = 56
                    }
                    let entry = HuffmanTable.resolve(lit, word)
                    if entry == HuffmanTable.invalid { return false }
                    let used = Int(entry & 0xFF)
                    word >>= UInt64(used)
                    available -= used
                    position += used
                    let kind = entry >> 16
                    if kind == HuffmanTable.literal { continue }
                    if kind == HuffmanTable.endOfBlock {
                        reader.position = position
                        return true
                    }
                    let distance = HuffmanTable.resolve(dist, word)
                    if distance == HuffmanTable.invalid { return false }
                    let distanceBits = Int(distance & 0xFF)
                    word >>= UInt64(distanceBits)
                    available -= distanceBits
                    position += distanceBits
                }
                reader.position = position
                return false
            }
        }
    }
}

/// Reads bits least-significant first, as deflate packs them; reads past the end yield zeros.
struct BitReader {
    private let base: UnsafePointer<UInt8>?
    private let count: Int
    var position = 0
    var bitCount: Int { count * 8 }

    init(_ data: UnsafeRawBufferPointer) {
        base = data.baseAddress?.assumingMemoryBound(to: UInt8.self)
        count = data.count
    }

    /// At least 56 upcoming bits, without consuming them.
    @inline(__always) func peek() -> UInt64 {
        let byte = position >> 3
        var word: UInt64 = 0
        if byte + 8 <= count {
            word = UnsafeRawPointer(base! + byte).loadUnaligned(as: UInt64.self)
            word = UInt64(littleEndian: word)
        } else {
            var i = 0
            while byte + i < count && i < 8 {
                word |= UInt64(base![byte + i]) << (8 * UInt64(i))
                i += 1
            }
        }
        return word >> UInt64(position & 7)
    }

    @inline(__always) mutating func skip(_ bits: Int) { position += bits }

    @inline(__always) mutating func take(_ bits: Int) -> UInt32 {
        let value = UInt32(truncatingIfNeeded: peek() & ((1 << UInt64(bits)) - 1))
        position += bits
        return value
    }

    mutating func alignToByte() { position = (position + 7) & ~7 }
}

/// A two-level lookup table for one Huffman code. Entries pack the bits to consume (code length plus
/// the symbol's extra bits) in the low byte and the symbol's class above bit 16.
struct HuffmanTable {
    static let primaryBits = 10
    static let invalid: UInt32 = 0xFFFF_FFFF
    static let literal: UInt32 = 0
    static let length: UInt32 = 1
    static let endOfBlock: UInt32 = 2
    static let distance: UInt32 = 3
    /// Marks a primary entry that points to a subtable: offset in bits 8–23, subtable index bits in the low byte.
    static let subtableFlag: UInt32 = 0x8000_0000

    var entries: [UInt32] = []

    @inline(__always) func lookup(_ bits: UInt64) -> UInt32 {
        entries.withUnsafeBufferPointer { Self.resolve($0, bits) }
    }

    /// The entry for the code at the bottom of `bits`, following a subtable pointer if there is one.
    @inline(__always) static func resolve(_ entries: UnsafeBufferPointer<UInt32>, _ bits: UInt64) -> UInt32 {
        let primary = entries[Int(bits & UInt64((1 << primaryBits) - 1))]
        guard primary & subtableFlag != 0, primary != invalid else { return primary }
        let offset = Int((primary >> 8) & 0xFFFF)
        let subBits = UInt64(primary & 0xFF)
        let index = offset + Int((bits >> UInt64(primaryBits)) & ((1 << subBits) - 1))
        return index < entries.count ? entries[index] : invalid
    }

    /// Builds the table from code lengths; `entry(symbol, length)` gives the entry for a symbol. False if the lengths are invalid.
    mutating func build(lengths: ArraySlice<UInt8>, entry: (Int, Int) -> UInt32) -> Bool {
        var countPerLength = [Int](repeating: 0, count: 16)
        for length in lengths { countPerLength[Int(length)] += 1 }
        countPerLength[0] = 0
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        var maxLength = 0
        for bits in 1...15 {
            code = (code + countPerLength[bits - 1]) << 1
            nextCode[bits] = code
            if countPerLength[bits] > 0 { maxLength = bits }
            if nextCode[bits] + countPerLength[bits] > 1 << bits { return false }  // over-subscribed
        }
        let primary = 1 << Self.primaryBits
        let subBits = max(0, maxLength - Self.primaryBits)
        entries = [UInt32](repeating: Self.invalid, count: primary)
        var subtableOffsets: [Int: Int] = [:]
        for (index, length) in lengths.enumerated() where length > 0 {
            let bits = Int(length)
            let reversed = Self.reverse(nextCode[bits], bits)
            nextCode[bits] += 1
            let value = entry(index, bits)
            if bits <= Self.primaryBits {
                var slot = reversed
                while slot < primary {
                    entries[slot] = value
                    slot += 1 << bits
                }
            } else {
                let prefix = reversed & (primary - 1)
                let offset: Int
                if let existing = subtableOffsets[prefix] {
                    offset = existing
                } else {
                    offset = entries.count
                    subtableOffsets[prefix] = offset
                    entries.append(contentsOf: repeatElement(Self.invalid, count: 1 << subBits))
                    entries[prefix] = Self.subtableFlag | UInt32(offset) << 8 | UInt32(subBits)
                }
                let high = reversed >> Self.primaryBits
                var slot = high
                while slot < 1 << subBits {
                    entries[offset + slot] = value
                    slot += 1 << (bits - Self.primaryBits)
                }
            }
        }
        return true
    }

    static func reverse(_ code: Int, _ bits: Int) -> Int {
        var value = code
        var result = 0
        for _ in 0..<bits {
            result = (result << 1) | (value & 1)
            value >>= 1
        }
        return result
    }
}

/// The literal/length and distance tables of the block being walked.
struct HuffmanTables {
    var literals = HuffmanTable()
    var distances = HuffmanTable()
    private var lengths = [UInt8](repeating: 0, count: 320)

    /// Extra bits of length symbols 257–285 and of distance symbols 0–29 (RFC 1951, 3.2.5).
    static let lengthExtra: [UInt32] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceExtra: [UInt32] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order code-length code lengths are stored in.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    static func literalEntry(_ symbol: Int, _ bits: Int) -> UInt32 {
        if symbol < 256 { return UInt32(bits) | HuffmanTable.literal << 16 }
        if symbol == 256 { return UInt32(bits) | HuffmanTable.endOfBlock << 16 }
        guard symbol <= 285 else { return HuffmanTable.invalid }
        return (UInt32(bits) + lengthExtra[symbol - 257]) | HuffmanTable.length << 16
    }

    static func distanceEntry(_ symbol: Int, _ bits: Int) -> UInt32 {
        guard symbol < 30 else { return HuffmanTable.invalid }
        return (UInt32(bits) + distanceExtra[symbol]) | HuffmanTable.distance << 16
    }

    /// The fixed code of block type 1.
    static let fixed: HuffmanTables = {
        var tables = HuffmanTables()
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        _ = tables.literals.build(lengths: lengths[...], entry: literalEntry)
        _ = tables.distances.build(lengths: [UInt8](repeating: 5, count: 30)[...], entry: distanceEntry)
        return tables
    }()

    /// Reads a dynamic block's code definitions (RFC 1951, 3.2.7) and builds both tables.
    mutating func readDynamic(_ reader: inout BitReader) -> Bool {
        let literalCount = Int(reader.take(5)) + 257
        let distanceCount = Int(reader.take(5)) + 1
        let codeLengthCount = Int(reader.take(4)) + 4
        guard literalCount <= 286, distanceCount <= 30 else { return false }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengthLengths[Self.codeLengthOrder[i]] = UInt8(reader.take(3)) }
        var codeLengths = HuffmanTable()
        guard codeLengths.build(lengths: codeLengthLengths[...], entry: { UInt32($1) | UInt32($0) << 16 }) else { return false }
        let total = literalCount + distanceCount
        var i = 0
        while i < total {
            let entry = codeLengths.lookup(reader.peek())
            guard entry != HuffmanTable.invalid else { return false }
            reader.skip(Int(entry & 0xFF))
            let symbol = Int(entry >> 16)
            switch symbol {
            case 0..<16:
                lengths[i] = UInt8(symbol)
                i += 1
            case 16:
                guard i > 0 else { return false }
                let repeatCount = 3 + Int(reader.take(2))
                guard i + repeatCount <= total else { return false }
                for _ in 0..<repeatCount {
                    lengths[i] = lengths[i - 1]
                    i += 1
                }
            default:
                let repeatCount = symbol == 17 ? 3 + Int(reader.take(3)) : 11 + Int(reader.take(7))
                guard i + repeatCount <= total else { return false }
                for _ in 0..<repeatCount {
                    lengths[i] = 0
                    i += 1
                }
            }
        }
        guard lengths[256] != 0 else { return false }
        return literals.build(lengths: lengths[0..<literalCount], entry: Self.literalEntry)
            && distances.build(lengths: lengths[literalCount..<total], entry: Self.distanceEntry)
    }
}
