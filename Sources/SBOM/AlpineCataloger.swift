import Foundation

/// Alpine packages from apk's database, `lib/apk/db/installed`: one record per package, `X:value` lines.
public enum AlpineCataloger {
    static let databasePath = "lib/apk/db/installed"

    /// The files this cataloger reads.
    public static func wants(_ path: String) -> Bool { path == databasePath }

    /// Every package the database lists (`P:` name, `V:` version, `A:` arch, `o:` origin, `L:` license, `m:` maintainer).
    public static func catalog(_ files: [String: CollectedFile]) -> [CatalogedPackage] {
        guard let file = files[databasePath] else { return [] }
        var packages: [CatalogedPackage] = []
        var fields: [Character: String] = [:]
        func flush() {
            defer { fields = [:] }
            guard let name = fields["P"], let version = fields["V"] else { return }
            packages.append(
                CatalogedPackage(
                    ecosystem: .alpine, name: name, version: version, architecture: fields["A"], sourceName: fields["o"] ?? name,
                    sourceVersion: version, licenses: fields["L"].map { LicenseNames.terms(of: $0).sorted() } ?? [],
                    supplier: fields["m"], location: file.path, layer: file.layer))
        }
        for line in String(decoding: file.data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                flush()
                continue
            }
            guard line.count >= 2, line.dropFirst().first == ":", let key = line.first else { continue }
            if fields[key] == nil { fields[key] = String(line.dropFirst(2)) }
        }
        flush()
        return packages
    }
}
