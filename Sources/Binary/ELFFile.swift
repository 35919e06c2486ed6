import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the dynamic loader needs to know about an ELF file: its machine, its interpreter (`PT_INTERP`), the
/// libraries it needs (`DT_NEEDED`) and where it looks for them (`DT_RUNPATH`, `DT_RPATH`), read with bounded
/// reads at the offsets the headers give (never the whole file), every offset checked against the file's size.
public struct ELFFile: Sendable, Hashable, Codable {
    /// `e_machine` (62 x86-64, 183 AArch64…).
    public var machine: UInt16
    /// 32 or 64.
    public var bits: Int
    /// The program interpreter (`/lib64/ld-linux-x86-64.so.2`); nil for a static binary or a plain library.
    public var interpreter: String?
    /// `DT_NEEDED` sonames, in order.
    public var needed: [String]
    /// `DT_RUNPATH` entries (`$ORIGIN/../lib` kept as written).
    public var runpath: [String]
    /// `DT_RPATH` entries (used only when there is no RUNPATH).
    public var rpath: [String]
    /// `DT_SONAME`, for a library.
    public var soname: String?

    public init(machine: UInt16, bits: Int, interpreter: String? = nil, needed: [String] = [], runpath: [String] = [], rpath: [String] = [], soname: String? = nil) {
        self.machine = machine
        self.bits = bits
        self.interpreter = interpreter
        self.needed = needed
        self.runpath = runpath
        self.rpath = rpath
        self.soname = soname
    }

    /// The machines of Debian's architectures.
    public static let machines: [String: UInt16] = ["amd64": 62, "arm64": 183, "i386": 3, "armhf": 40, "armel": 40, "riscv64": 243, "ppc64el": 21, "s390x": 22]

    /// A readable name for a machine number.
    public static func machineName(_ machine: UInt16) -> String {
        switch machine {
        case 3: return "x86 (i386)"
        case 40: return "ARM (32-bit)"
        case 62: return "x86-64 (amd64)"
        case 183: return "AArch64 (arm64)"
        case 243: return "RISC-V"
        case 21: return "PowerPC 64"
        case 22: return "IBM S/390"
        default: return "machine \(machine)"
        }
    }

    /// Whether the file starts with the ELF magic (`\x7fELF`).
    public static func isELF(path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        return pread(fd, &magic, 4, 0) == 4 && magic == [0x7F, 0x45, 0x4C, 0x46]
    }

    /// Reads the headers of the ELF file at `path`; `name` stands for it in errors.
    public init(path: String, name: String? = nil) throws(BinaryError) {
        let reader = try ELFReader(path: path, name: name ?? path)
        self = try reader.parse()
    }
}

/// Bounded reads of one file by offset, in the file's byte order.
struct ELFReader {
    let name: String
    let data: FileWindow
    var littleEndian = true

    init(path: String, name: String) throws(BinaryError) {
        self.name = name
        data = try FileWindow(path: path, name: name)
    }

    // ELF constants (System V ABI).
    static let ptLoad: UInt32 = 1, ptDynamic: UInt32 = 2, ptInterp: UInt32 = 3
    static let dtNull: UInt64 = 0, dtNeeded: UInt64 = 1, dtStrtab: UInt64 = 5, dtStrsz: UInt64 = 10, dtSoname: UInt64 = 14, dtRpath: UInt64 = 15,
        dtRunpath: UInt64 = 29

    struct Segment {
        var type: UInt32
        var offset: UInt64
        var vaddr: UInt64
        var filesz: UInt64
    }

    func parse() throws(BinaryError) -> ELFFile {
        guard data.size >= 4, try data.bytes(at: 0, count: 4) == [0x7F, 0x45, 0x4C, 0x46] else { throw .notELF(file: name) }
        let ident = try data.bytes(at: 0, count: 16)
        guard ident[4] == 1 || ident[4] == 2 else { throw .malformed(file: name, reason: "ELF class \(ident[4]) is neither 32 nor 64 bit") }
        guard ident[5] == 1 || ident[5] == 2 else { throw .malformed(file: name, reason: "byte order \(ident[5]) is neither little nor big endian") }
        var reader = self
        reader.littleEndian = ident[5] == 1
        return try reader.parseBody(is64: ident[4] == 2)
    }

    private func parseBody(is64: Bool) throws(BinaryError) -> ELFFile {
        let machine = UInt16(try integer(at: 18, size: 2))
        let phoff = try integer(at: is64 ? 32 : 28, size: is64 ? 8 : 4)
        let phentsize = try integer(at: is64 ? 54 : 42, size: 2)
        let phnum = try integer(at: is64 ? 56 : 44, size: 2)
        var file = ELFFile(machine: machine, bits: is64 ? 64 : 32)
        guard phnum > 0 else { return file }
        guard phentsize >= (is64 ? 56 : 32) else { throw .malformed(file: name, reason: "program header entries of \(phentsize) bytes are too small") }
        var segments: [Segment] = []
        for index in 0..<phnum {
            let base = phoff &+ index &* phentsize
            guard base >= phoff else { throw .malformed(file: name, reason: "program header table overflows") }
            let type = UInt32(try integer(at: base, size: 4))
            let offset = try integer(at: base &+ (is64 ? 8 : 4), size: is64 ? 8 : 4)
            let vaddr = try integer(at: base &+ (is64 ? 16 : 8), size: is64 ? 8 : 4)
            let filesz = try integer(at: base &+ (is64 ? 32 : 16), size: is64 ? 8 : 4)
            segments.append(Segment(type: type, offset: offset, vaddr: vaddr, filesz: filesz))
        }
        if let interp = segments.first(where: { $0.type == Self.ptInterp }) {
            guard interp.filesz <= 4096 else { throw .malformed(file: name, reason: "PT_INTERP of \(interp.filesz) bytes") }
            let bytes = try data.bytes(at: interp.offset, count: Int(interp.filesz))
            file.interpreter = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        guard let dynamic = segments.first(where: { $0.type == Self.ptDynamic }) else { return file }
        let entrySize: UInt64 = is64 ? 16 : 8
        let count = dynamic.filesz / entrySize
        guard count <= 1 << 16 else { throw .malformed(file: name, reason: "a dynamic section of \(count) entries") }
        var entries: [(UInt64, UInt64)] = []
        for index in 0..<count {
            let base = dynamic.offset &+ index &* entrySize
            let tag = try integer(at: base, size: is64 ? 8 : 4)
            if tag == Self.dtNull { break }
            entries.append((tag, try integer(at: base &+ entrySize / 2, size: is64 ? 8 : 4)))
        }
        guard let strtabAddress = entries.first(where: { $0.0 == Self.dtStrtab })?.1 else { return file }
        let strsz = entries.first(where: { $0.0 == Self.dtStrsz })?.1 ?? 0
        let strtab = try fileOffset(ofAddress: strtabAddress, segments: segments)
        func string(_ offset: UInt64) throws(BinaryError) -> String {
            guard strsz == 0 || offset < strsz else { throw .malformed(file: name, reason: "a string offset \(offset) beyond DT_STRSZ \(strsz)") }
            return try data.cString(at: strtab &+ offset)
        }
        for (tag, value) in entries {
            switch tag {
            case Self.dtNeeded: file.needed.append(try string(value))
            case Self.dtSoname: file.soname = try string(value)
            case Self.dtRunpath: file.runpath += try string(value).split(separator: ":").map(String.init)
            case Self.dtRpath: file.rpath += try string(value).split(separator: ":").map(String.init)
            default: break
            }
        }
        return file
    }

    /// Maps a virtual address to a file offset through the PT_LOAD segment that holds it.
    private func fileOffset(ofAddress address: UInt64, segments: [Segment]) throws(BinaryError) -> UInt64 {
        for segment in segments where segment.type == Self.ptLoad {
            if address >= segment.vaddr, address - segment.vaddr < segment.filesz { return segment.offset &+ (address - segment.vaddr) }
        }
        throw .malformed(file: name, reason: "the string table address 0x\(String(address, radix: 16)) is in no loaded segment")
    }

    private func integer(at offset: UInt64, size: Int) throws(BinaryError) -> UInt64 {
        let bytes = try data.bytes(at: offset, count: size)
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            let shift = littleEndian ? index * 8 : (size - 1 - index) * 8
            value |= UInt64(byte) << UInt64(shift)
        }
        return value
    }
}

/// Reads byte ranges of a file by offset, refusing anything past its end.
final class FileWindow {
    let fd: Int32
    let size: UInt64
    let name: String

    init(path: String, name: String) throws(BinaryError) {
        self.name = name
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: name, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .unreadable(file: name, reason: reason)
        }
        size = UInt64(info.st_size)
    }

    deinit { close(fd) }

    func bytes(at offset: UInt64, count: Int) throws(BinaryError) -> [UInt8] {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else {
            throw .malformed(file: name, reason: "reads \(count) bytes at offset \(offset) of a \(size)-byte file")
        }
        var buffer = [UInt8](repeating: 0, count: count)
        if count == 0 { return buffer }
        let read = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard read == count else { throw .unreadable(file: name, reason: "short read at offset \(offset)") }
        return buffer
    }

    /// A NUL-terminated string at `offset` (at most 4096 bytes).
    func cString(at offset: UInt64) throws(BinaryError) -> String {
        guard offset < size else { throw .malformed(file: name, reason: "a string at offset \(offset) past the end") }
        let available = Int(min(4096, size - offset))
        let bytes = try self.bytes(at: offset, count: available)
        guard let end = bytes.firstIndex(of: 0) else { throw .malformed(file: name, reason: "an unterminated string at offset \(offset)") }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
