import Foundation

/// The distribution from `etc/os-release` (or `usr/lib/os-release`, where distroless images keep it).
public enum OSRelease {
    static let paths = ["etc/os-release", "usr/lib/os-release"]

    /// The files this reader needs.
    public static func wants(_ path: String) -> Bool { paths.contains(path) }

    /// The distribution, if an os-release file says which.
    public static func distribution(_ files: [String: CollectedFile]) -> Distribution? {
        for path in paths {
            guard let file = files[path] else { continue }
            var values: [String: String] = [:]
            for line in String(decoding: file.data, as: UTF8.self).split(separator: "\n") {
                guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
                let key = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
                values[key] = String(line[line.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
            }
            guard let id = values["ID"], !id.isEmpty else { continue }
            return Distribution(id: id, versionID: values["VERSION_ID"] ?? values["VERSION_CODENAME"], prettyName: values["PRETTY_NAME"])
        }
        return nil
    }
}
