import Debian
import Foundation

/// Debian packages from the dpkg database: `var/lib/dpkg/status` and distroless-style `status.d/*` records.
///
/// A stanza without `Status:` counts as installed (status.d records have none); with one, only
/// `… installed` does. The source package and its version come from `Source: NAME (VERSION)`.
/// Licenses come from machine-readable copyright files (`usr/share/doc/NAME/copyright`).
public enum DebianCataloger {
    static let statusPath = "var/lib/dpkg/status"
    static let statusDirectory = "var/lib/dpkg/status.d/"

    /// The files this cataloger reads.
    public static func wants(_ path: String) -> Bool {
        if path == statusPath { return true }
        if path.hasPrefix(statusDirectory) {
            let name = path.dropFirst(statusDirectory.count)
            return !name.contains("/") && !name.hasSuffix(".md5sums")
        }
        return path.hasPrefix("usr/share/doc/") && path.hasSuffix("/copyright") && path.split(separator: "/").count == 5
    }

    /// The installed packages; `statusHistory` is every layer's version of the status file, lowest first.
    public static func catalog(_ files: [String: CollectedFile], statusHistory: [CollectedFile]) -> [CatalogedPackage] {
        var packages: [CatalogedPackage] = []
        if let status = files[statusPath] {
            func key(_ p: CatalogedPackage) -> String { "\(p.name) \(p.version) \(p.architecture ?? "")" }
            let earlier = statusHistory.filter { $0.layer < status.layer }.map { ($0.layer, Set(installed(in: $0).map(key))) }
            for var package in installed(in: status) {
                // Attribute the package to the lowest layer from which every status file still lists it unchanged.
                for (layer, listed) in earlier.reversed() {
                    guard listed.contains(key(package)) else { break }
                    package.layer = layer
                }
                packages.append(package)
            }
        }
        for (path, file) in files where path.hasPrefix(statusDirectory) {
            packages += installed(in: file)
        }
        return packages.map { package in
            var package = package
            package.licenses = licenses(files["usr/share/doc/\(package.name)/copyright"]?.data)
            return package
        }
    }

    /// The installed packages one status file lists.
    static func installed(in file: CollectedFile) -> [CatalogedPackage] {
        guard let stanzas = try? Deb822.parse(file.data, file: file.path) else { return [] }
        return stanzas.compactMap { stanza in
            guard let name = stanza["Package"], let version = stanza["Version"] else { return nil }
            if let status = stanza["Status"], status.split(separator: " ").last != "installed" { return nil }
            var sourceName: String?
            var sourceVersion: String?
            if let source = stanza["Source"] {
                let parts = source.split(separator: " ", maxSplits: 1)
                sourceName = parts.first.map(String.init)
                if parts.count > 1 {
                    sourceVersion = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "() "))
                }
            }
            return CatalogedPackage(
                ecosystem: .debian, name: name, version: version, architecture: stanza["Architecture"],
                sourceName: sourceName ?? name, sourceVersion: sourceVersion ?? version, supplier: stanza["Maintainer"],
                location: file.path, layer: file.layer)
        }
    }

    /// License short names from a machine-readable copyright file (DEP-5); none from free-form text.
    static func licenses(_ data: Data?) -> [String] {
        guard let data, data.starts(with: Data("Format:".utf8)) || data.starts(with: Data("format:".utf8)) else { return [] }
        // Scanned in place: only the License values become strings (a copyright file is mostly license texts).
        var names: Set<String> = []
        let scanned = data.withUnsafeBytes { buffer -> Bool in
            do throws(DebianError) {
                try Deb822.scan(buffer, file: "copyright") { paragraph throws(DebianError) in
                    guard paragraph.fields.contains(where: { paragraph.field($0, isNamed: "Files") || paragraph.field($0, isNamed: "Format") }),
                        let field = paragraph.field(named: "License"), let first = paragraph.firstLine(of: field)
                    else { return }
                    for term in LicenseNames.terms(of: first) { names.insert(term) }
                }
                return true
            } catch {
                return false
            }
        }
        // A file that is not deb822 throughout names no licenses, as before.
        return scanned ? names.sorted() : []
    }
}
