import Archive
import Foundation

/// Reads `Packages` indexes (plain, .xz or .gz) into ``PackageRecord`` values.
public enum PackagesFile {
    /// Decompresses the index at `path` (format detected from its bytes) and parses it.
    ///
    /// Decompression runs on a helper thread and parsing follows it chunk by chunk, so the parse costs
    /// little more than the decompression. `name` names the index in errors, `suite` is recorded in each record.
    public static func load(path: String, name: String, suite: String) throws(DebianError) -> [PackageRecord] {
        let stream = try DecompressingStream(path: path, name: name)
        defer { stream.stop() }
        var records: [PackageRecord] = []
        records.reserveCapacity(65_536)
        var carry: [UInt8] = []
        var line = 1
        while let chunk = try stream.next() {
            var bytes = carry.isEmpty ? chunk : carry + chunk
            // Parse whole paragraphs only; the unfinished tail waits for the next chunk.
            guard let cut = lastParagraphEnd(bytes) else {
                carry = bytes
                continue
            }
            carry = Array(bytes[cut...])
            bytes.removeSubrange(cut...)
            line += try parse(SharedBytes(bytes), file: name, suite: suite, firstLine: line, into: &records)
        }
        if !carry.isEmpty { try parse(SharedBytes(carry), file: name, suite: suite, firstLine: line, into: &records) }
        return records
    }

    /// The offset just after the last empty line of `bytes` (a paragraph boundary), if any.
    static func lastParagraphEnd(_ bytes: [UInt8]) -> Int? {
        var i = bytes.count - 1
        while i > 0 {
            if bytes[i] == 0x0A {
                if bytes[i - 1] == 0x0A { return i + 1 }
                if bytes[i - 1] == 0x0D && i >= 2 && bytes[i - 2] == 0x0A { return i + 1 }
            }
            i -= 1
        }
        return nil
    }

    /// The decompressed bytes of a (possibly compressed) file.
    public static func decompress(path: String, name: String) throws(DebianError) -> [UInt8] {
        do {
            let reader = try ArchiveReader(path: path, format: .raw, name: name)
            guard try reader.nextEntry() != nil else { throw DebianError.malformedControl(file: name, line: 0, reason: "empty file") }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(1 << 24)
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { chunk.deallocate() }
            while true {
                let n = try reader.read(into: chunk)
                if n == 0 { break }
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            }
            return bytes
        } catch let error as DebianError {
            throw error
        } catch {
            throw .malformedControl(file: name, line: 0, reason: "cannot decompress: \(error)")
        }
    }

    /// Parses the paragraphs of a decompressed index.
    public static func parse(_ storage: SharedBytes, file: String, suite: String) throws(DebianError) -> [PackageRecord] {
        var records: [PackageRecord] = []
        records.reserveCapacity(storage.bytes.count / 800)
        try parse(storage, file: file, suite: suite, firstLine: 1, into: &records)
        return records
    }

    /// Appends the records of `storage` to `records`; returns the number of lines read.
    @discardableResult
    static func parse(_ storage: SharedBytes, file: String, suite: String, firstLine: Int, into records: inout [PackageRecord])
        throws(DebianError) -> Int
    {
        var parsed = records
        records = []
        let result: Result<Int, DebianError> = storage.bytes.withUnsafeBytes { buffer in
            do throws(DebianError) {
                let lines = try Deb822.scan(buffer, file: file, firstLine: firstLine) { paragraph throws(DebianError) in
                    parsed.append(try record(paragraph, storage: storage, file: file, suite: suite))
                }
                return .success(lines)
            } catch {
                return .failure(error)
            }
        }
        records = parsed
        return try result.get()
    }

    private static func record(_ p: Deb822Paragraph, storage: SharedBytes, file: String, suite: String) throws(DebianError)
        -> PackageRecord
    {
        var name: String?
        var version: String?
        var architecture: String?
        var multiArch = MultiArch.no
        var source: String?
        var filename: String?
        var size: String?
        var sha256: String?
        var essential = false
        var depends: String?
        var preDepends: String?
        var provides: String?
        for f in p.fields {
            // Dispatch on the first letter first: most of the ~20 fields of a paragraph are not needed.
            switch p.buffer[f.name.lowerBound] | 0x20 {
            case UInt8(ascii: "p"):
                if p.field(f, isNamed: "Package") {
                    name = p.value(of: f)
                } else if p.field(f, isNamed: "Pre-Depends") {
                    preDepends = p.value(of: f)
                } else if p.field(f, isNamed: "Provides") {
                    provides = p.value(of: f)
                }
            case UInt8(ascii: "v"):
                if p.field(f, isNamed: "Version") { version = p.value(of: f) }
            case UInt8(ascii: "a"):
                if p.field(f, isNamed: "Architecture") { architecture = p.value(of: f) }
            case UInt8(ascii: "m"):
                if p.field(f, isNamed: "Multi-Arch") { multiArch = MultiArch(rawValue: p.value(of: f).lowercased()) ?? .no }
            case UInt8(ascii: "s"):
                if p.field(f, isNamed: "Source") {
                    source = p.value(of: f)
                } else if p.field(f, isNamed: "Size") {
                    size = p.value(of: f)
                } else if p.field(f, isNamed: "SHA256") {
                    sha256 = p.value(of: f)
                }
            case UInt8(ascii: "f"):
                if p.field(f, isNamed: "Filename") { filename = p.value(of: f) }
            case UInt8(ascii: "e"):
                if p.field(f, isNamed: "Essential") { essential = p.value(of: f).lowercased() == "yes" }
            case UInt8(ascii: "d"):
                if p.field(f, isNamed: "Depends") { depends = p.value(of: f) }
            default:
                break
            }
        }
        let where_ = "\(file):\(p.line)"
        guard let name else { throw .missingField(file: where_, field: "Package") }
        guard let versionText = version else { throw .missingField(file: "\(where_) (\(name))", field: "Version") }
        guard let architecture else { throw .missingField(file: "\(where_) (\(name))", field: "Architecture") }
        guard let filename else { throw .missingField(file: "\(where_) (\(name))", field: "Filename") }
        guard let sha256, sha256.utf8.count == 64 else { throw .missingField(file: "\(where_) (\(name))", field: "SHA256") }
        guard ContentCache.isSHA256(sha256.lowercased()) else { throw .invalidChecksum(what: "\(where_) (\(name))", value: sha256) }
        guard let size, let sizeValue = Int64(size) else { throw .missingField(file: "\(where_) (\(name))", field: "Size") }
        let parsedVersion = try DebianVersion(versionText)
        var sourceName = name
        var sourceVersion = versionText
        if let source {
            // `Source: python3.11 (3.11.2-6)` when the binary was rebuilt with another version.
            if let open = source.firstIndex(of: "(") {
                sourceName = source[..<open].trimmingCharacters(in: .whitespaces)
                sourceVersion = source[source.index(after: open)...].trimmingCharacters(in: CharacterSet(charactersIn: " )"))
            } else {
                sourceName = source
            }
        }
        return PackageRecord(
            name: name, version: parsedVersion, architecture: architecture, multiArch: multiArch, sourceName: sourceName,
            sourceVersion: sourceVersion, filename: filename, size: sizeValue, sha256: sha256.lowercased(), suite: suite,
            isEssential: essential, dependsText: depends, preDependsText: preDepends, providesText: provides, storage: storage,
            textRange: p.range)
    }
}
