import Foundation
import TestSupport

/// One line of osv-scalibr's version-ordering tables: `A < B`, `A = B` or `A > B`.
public struct VersionTableLine: Sendable, CustomStringConvertible {
    public var left: String
    public var relation: String
    public var right: String
    public var line: Int

    public var description: String { "line \(line): \(left) \(relation) \(right)" }

    /// Every comparison line of `../shared/testdata/vuln/versions/<file>`; `#` and `//` start comments.
    public static func load(_ file: String) -> [VersionTableLine] {
        let path = SharedTestData.path("vuln/versions/\(file)")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var out: [VersionTableLine] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            let parts = line.split(separator: " ")
            guard parts.count == 3, ["<", "=", ">"].contains(parts[1]) else { continue }
            out.append(VersionTableLine(left: String(parts[0]), relation: String(parts[1]), right: String(parts[2]), line: index + 1))
        }
        return out
    }

    /// The relation a three-way comparison result stands for.
    public static func relation(_ comparison: Int) -> String { comparison < 0 ? "<" : (comparison == 0 ? "=" : ">") }
}
