import Foundation

/// How many bytes of file content one .deb or one image may unpack to: past it, extraction stops, so a
/// decompression bomb (a small layer or package that expands without end) cannot fill the disk or hold the CPU.
///
/// The default, 16 GiB, is far above any Debian package or ordinary image; `DISTILL_UNPACK_LIMIT` raises
/// or lowers it (`64G`, `512M`, or bytes).
public struct UnpackLimit: Sendable, Equatable, CustomStringConvertible {
    /// The most bytes allowed.
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    /// The environment variable that sets the limit.
    public static let environmentVariable = "DISTILL_UNPACK_LIMIT"
    /// 16 GiB.
    public static let `default` = UnpackLimit(bytes: 16 << 30)

    /// The limit `DISTILL_UNPACK_LIMIT` sets, else the default; a value that is not a size is an error.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ArchiveError) -> UnpackLimit {
        guard let text = environment[environmentVariable], !text.isEmpty else { return .default }
        guard let bytes = parse(text) else {
            throw .readFailed(path: environmentVariable, reason: "'\(text)' is not a size; use e.g. 64G, 512M or a number of bytes")
        }
        return UnpackLimit(bytes: bytes)
    }

    /// `64G`, `512m`, `100k`, `1T` or plain bytes (binary multiples); nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var shift: Int64 = 0
        if let last = digits.last, let unit = ["k": 10, "m": 20, "g": 30, "t": 40][String(last).lowercased()] {
            shift = Int64(unit)
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int64(digits), value > 0,
            value <= Int64.max >> shift
        else { return nil }
        return value << shift
    }

    /// `16 GiB (17179869184 bytes)`.
    public var description: String {
        let units: [(Int64, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size && bytes % size == 0 { return "\(bytes / size) \(name) (\(bytes) bytes)" }
        return "\(bytes) bytes"
    }
}

/// Counts the bytes one extraction has unpacked against an ``UnpackLimit``.
public struct UnpackBudget: Sendable {
    public let limit: UnpackLimit
    /// Bytes taken so far.
    public private(set) var used: Int64 = 0

    public init(limit: UnpackLimit) { self.limit = limit }

    /// Takes `size` bytes for `entry` of `archive` (checked before its data is read), or throws ``ArchiveError/unpackLimit(archive:entry:limit:)``.
    public mutating func take(_ size: Int64, archive: String, entry: String) throws(ArchiveError) {
        guard size >= 0, size <= limit.bytes - used else { throw .unpackLimit(archive: archive, entry: entry, limit: limit.description) }
        used += size
    }
}
