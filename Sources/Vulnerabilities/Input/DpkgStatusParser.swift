import Debian
import Foundation

/// Installed Debian packages from dpkg's `status` file or distroless `status.d/*` stanzas.
public enum DpkgStatusParser {
    /// The installed packages of `data` (`file` names it in errors). A stanza without a Status field counts as
    /// installed (distroless writes none); one whose status is not `install ok installed` does not.
    public static func packages(_ data: Data, file: String) throws -> [ScannedPackage] {
        var out: [ScannedPackage] = []
        for stanza in try Deb822.parse(data, file: file) {
            guard let name = stanza["Package"], let version = stanza["Version"] else { continue }
            if let status = stanza["Status"], !status.hasSuffix(" installed") || status.hasPrefix("deinstall") { continue }
            var sourceName: String?
            var sourceVersion: String?
            if let source = stanza["Source"] {
                // "Source: zlib (1:1.3.dfsg-1)": a source version in parentheses when it differs from the binary's.
                let parts = source.split(separator: " ", maxSplits: 1)
                sourceName = parts.first.map(String.init)
                if parts.count == 2 {
                    sourceVersion = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "() "))
                }
            }
            let arch = stanza["Architecture"]
            var purl = "pkg:deb/debian/\(name)@\(version.addingPercentEncoding(withAllowedCharacters: .purlAllowed) ?? version)"
            if let arch { purl += "?arch=\(arch)" }
            out.append(
                ScannedPackage(
                    name: name, version: version, ecosystem: "Debian", sourceName: sourceName ?? name,
                    sourceVersion: sourceVersion ?? version, purl: purl))
        }
        return out
    }
}

extension CharacterSet {
    /// Characters a purl keeps unescaped in a version.
    static let purlAllowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~+")
}
