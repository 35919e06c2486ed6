import Foundation

/// Appends values in a small length-prefixed binary form: what the store keeps beside each record so a scan
/// reads what it needs without parsing JSON.
struct CompactWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    mutating func integer(_ value: Int) {
        var rest = UInt64(bitPattern: Int64(value))
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            integer(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func strings(_ values: [String]) {
        integer(values.count)
        for value in values { string(value) }
    }

    mutating func double(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    var data: Data { Data(bytes) }
}

/// Reads what ``CompactWriter`` wrote; any inconsistency is an error naming `what`, never a crash.
struct CompactReader {
    private let bytes: [UInt8]
    private var offset = 0
    private let what: String

    init(_ data: Data, what: String) {
        bytes = [UInt8](data)
        self.what = what
    }

    /// True when every byte has been read.
    var isAtEnd: Bool { offset == bytes.count }

    mutating func integer() throws(VulnerabilityError) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw corrupt("a number runs past the end") }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: value))
    }

    mutating func bool() throws(VulnerabilityError) -> Bool {
        guard offset < bytes.count else { throw corrupt("a flag runs past the end") }
        defer { offset += 1 }
        switch bytes[offset] {
        case 0: return false
        case 1: return true
        default: throw corrupt("a flag is neither 0 nor 1")
        }
    }

    mutating func string() throws(VulnerabilityError) -> String {
        let count = try integer()
        guard count >= 0, count <= bytes.count - offset else { throw corrupt("a string runs past the end") }
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    mutating func optionalString() throws(VulnerabilityError) -> String? {
        try bool() ? try string() : nil
    }

    mutating func strings() throws(VulnerabilityError) -> [String] {
        let count = try integer()
        // Each string takes at least one byte: a larger count cannot be right.
        guard count >= 0, count <= bytes.count - offset else { throw corrupt("a list runs past the end") }
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try string()) }
        return out
    }

    mutating func count() throws(VulnerabilityError) -> Int {
        let count = try integer()
        guard count >= 0, count <= bytes.count - offset else { throw corrupt("a list runs past the end") }
        return count
    }

    mutating func double() throws(VulnerabilityError) -> Double {
        guard bytes.count - offset >= 8 else { throw corrupt("a number runs past the end") }
        var bits: UInt64 = 0
        for index in (0..<8).reversed() { bits = bits << 8 | UInt64(bytes[offset + index]) }
        offset += 8
        return Double(bitPattern: bits)
    }

    func corrupt(_ reason: String) -> VulnerabilityError {
        .database(path: what, reason: "stored match data is damaged: \(reason)")
    }
}
