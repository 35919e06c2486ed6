import Foundation
import Python

/// An installed Python distribution from its `*.dist-info/METADATA` (core metadata, RFC 822 headers).
public enum PythonMetadataParser {
    /// The distribution named in `data`, nil when Name or Version is missing.
    public static func package(_ data: Data) -> ScannedPackage? {
        var name: String?
        var version: String?
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty { break }  // headers end at the first blank line; the description follows
            if name == nil, trimmed.lowercased().hasPrefix("name:") {
                name = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces)
            } else if version == nil, trimmed.lowercased().hasPrefix("version:") {
                version = trimmed.dropFirst(8).trimmingCharacters(in: .whitespaces)
            }
        }
        guard let name, !name.isEmpty, let version, !version.isEmpty else { return nil }
        return ScannedPackage(
            name: name, version: version, ecosystem: "PyPI", purl: "pkg:pypi/\(ProjectName.normalize(name))@\(version)")
    }
}
