import Archive
import Foundation
import ImageFormat

/// Reading a wheel (a zip file) with libarchive: its `.dist-info` folder and small members.
enum WheelArchive {
    /// Members larger than this are never read into memory (METADATA, WHEEL, RECORD, entry points are small).
    static let smallMemberLimit = 16 << 20

    /// The wheel's `METADATA`, for an index that serves no metadata file.
    static func metadata(ofWheel path: String, filename: String) throws(PythonError) -> Data {
        let wheel = try WheelFilename(filename)
        let members = try smallMembers(of: path, filename: filename) { distInfo(of: $0, wheel: wheel) != nil && $0.hasSuffix("/METADATA") }
        guard let data = members.first(where: { $0.key.split(separator: "/").count == 2 })?.value else {
            throw .malformedWheel(file: filename, reason: "no .dist-info/METADATA")
        }
        return data
    }

    /// `name-version.dist-info` when `path` lies in the wheel's own dist-info folder (names compared normalised).
    static func distInfo(of path: String, wheel: WheelFilename) -> String? {
        guard let first = path.split(separator: "/").first, first.hasSuffix(".dist-info") else { return nil }
        let stem = first.dropLast(".dist-info".count)
        guard let dash = stem.lastIndex(of: "-") else { return nil }
        guard ProjectName.normalize(String(stem[..<dash])) == wheel.name.normalized,
            (try? PEP440Version(String(stem[stem.index(after: dash)...]))) == wheel.version
        else { return nil }
        return String(first)
    }

    /// The members whose normalised path satisfies `wanted`, read whole (each at most ``smallMemberLimit``).
    static func smallMembers(of path: String, filename: String, wanted: (String) -> Bool) throws(PythonError) -> [String: Data] {
        var result: [String: Data] = [:]
        do {
            let reader = try ArchiveReader(path: path, format: .zip, name: filename)
            while let entry = try reader.nextEntry() {
                guard entry.kind == .regular, let normalized = try ArchivePath.normalize(entry.rawPath, archive: filename, allowAbsolute: false),
                    wanted(normalized)
                else { continue }
                result[normalized] = try reader.readAll(limit: smallMemberLimit, what: "\(normalized) in \(filename)")
            }
        } catch let error as PythonError {
            throw error
        } catch {
            throw .malformedWheel(file: filename, reason: "\(error)")
        }
        return result
    }
}

/// `RECORD` (PEP 376/427): the CSV of path, `algorithm=urlsafe-base64 digest` and size of every file of a wheel.
public struct WheelRecord: Sendable {
    /// One row: path, hash field and size, as written.
    public struct Line: Sendable {
        public var path: String
        public var hash: String
        public var size: String
    }

    /// The rows in file order.
    public var lines: [Line]

    init(lines: [Line]) { self.lines = lines }

    /// Parses RECORD's CSV (quoted fields allowed); public so the fuzz targets reach it with raw bytes.
    public init(parsing data: Data, file: String) throws(PythonError) {
        guard let text = String(data: data, encoding: .utf8) else { throw .malformedWheel(file: file, reason: "RECORD is not UTF-8") }
        var lines: [Line] = []
        for row in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n") {
            let fields = Self.csvFields(String(row))
            guard fields.count >= 1, !fields[0].isEmpty else { continue }
            lines.append(Line(path: fields[0], hash: fields.count > 1 ? fields[1] : "", size: fields.count > 2 ? fields[2] : ""))
        }
        self.lines = lines
    }

    /// The sha256 (urlsafe base64, no padding) RECORD gives each path, where it gives one.
    public var sha256ByPath: [String: String] {
        var table: [String: String] = [:]
        for line in lines where line.hash.hasPrefix("sha256=") { table[line.path] = String(line.hash.dropFirst(7)) }
        return table
    }

    /// The file as written: one line per entry, fields quoted when they need it.
    var text: String {
        lines.map { [Self.quote($0.path), $0.hash, $0.size].joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// `sha256=<urlsafe base64 without padding>`, as RECORD writes digests.
    static func hashField(_ digest: Data) -> String {
        "sha256=" + urlSafeBase64(digest)
    }

    static func urlSafeBase64(_ data: Data) -> String {
        var text = data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    private static func quote(_ field: String) -> String {
        guard field.contains(",") || field.contains("\"") else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func csvFields(_ row: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(row).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" { current.append("\"") } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && current.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}

extension Digest {
    /// The digest's bytes (RECORD writes them in base64).
    var bytes: Data {
        var data = Data(capacity: encoded.utf8.count / 2)
        var high: UInt8?
        for c in encoded.utf8 {
            let value: UInt8 = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
            if let h = high {
                data.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return data
    }
}
