import Foundation

/// Python distributions from their core metadata: `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, or an
/// `*.egg-info` file.
public enum PythonCataloger {
    /// The files this cataloger reads.
    public static func wants(_ path: String) -> Bool {
        path.hasSuffix(".dist-info/METADATA") || path.hasSuffix(".egg-info/PKG-INFO") || path.hasSuffix(".egg-info")
    }

    /// One package per metadata file that names a distribution and a version.
    public static func catalog(_ files: [String: CollectedFile]) -> [CatalogedPackage] {
        files.values.filter { wants($0.path) }.compactMap { file in
            let headers = self.headers(file.data)
            guard let name = headers["name"]?.first, let version = headers["version"]?.first, !name.isEmpty, !version.isEmpty
            else { return nil }
            return CatalogedPackage(
                ecosystem: .python, name: normalize(name), version: version, licenses: licenses(headers),
                supplier: headers["author"]?.first.flatMap { $0.isEmpty || $0 == "UNKNOWN" ? nil : $0 },
                location: file.path, layer: file.layer)
        }
    }

    /// PEP 503: lowercase, with runs of `-`, `_` and `.` made one `-`.
    public static func normalize(_ name: String) -> String {
        var result = ""
        var inSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !inSeparator { result.append("-") }
                inSeparator = true
            } else {
                result.append(character)
                inSeparator = false
            }
        }
        return result
    }

    /// The header block of an email-style metadata file (up to the first blank line), by lowercased name.
    static func headers(_ data: Data) -> [String: [String]] {
        var result: [String: [String]] = [:]
        let text = String(decoding: data.prefix(256 << 10), as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                // A continuation of a multi-line value (a license text, usually); keep the first line only.
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            result[key, default: []].append(value)
        }
        return result
    }

    /// `License-Expression` (PEP 639) first, else a short `License`, else the license classifiers.
    private static func licenses(_ headers: [String: [String]]) -> [String] {
        if let expression = headers["license-expression"]?.first, !expression.isEmpty {
            return LicenseNames.terms(of: expression).sorted()
        }
        if let license = headers["license"]?.first, !license.isEmpty, license.count <= 64, license != "UNKNOWN" {
            return LicenseNames.terms(of: license).sorted()
        }
        let classifiers = (headers["classifier"] ?? []).filter { $0.hasPrefix("License :: ") }
        return Set(classifiers.compactMap { $0.components(separatedBy: " :: ").last }).filter { $0 != "OSI Approved" }.sorted()
    }
}
