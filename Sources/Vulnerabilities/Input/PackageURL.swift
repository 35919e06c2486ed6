import Foundation

/// A package URL (`pkg:type/namespace/name@version?qualifiers#subpath`), as SBOM tools write them.
public struct PackageURL: Sendable, Equatable {
    public var type: String
    public var namespace: String?
    public var name: String
    public var version: String?
    public var qualifiers: [String: String]

    /// Parses `text`; nil unless it is a `pkg:` URL with a type and a name.
    public init?(_ text: String) {
        guard text.hasPrefix("pkg:") else { return nil }
        var rest = Substring(text.dropFirst(4))
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var qualifiers: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                qualifiers[parts[0].lowercased()] = Self.decode(parts[1])
            }
            rest = rest[..<question]
        }
        self.qualifiers = qualifiers
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        if let at = rest.lastIndex(of: "@"), rest[..<at].contains("/") {
            version = Self.decode(rest[rest.index(after: at)...])
            rest = rest[..<at]
        } else {
            version = nil
        }
        var segments = rest.split(separator: "/").map { Self.decode($0) }
        guard segments.count >= 2 else { return nil }
        type = segments.removeFirst().lowercased()
        name = segments.removeLast()
        namespace = segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    /// The OSV ecosystem family of this purl's type, nil for types distill does not match.
    public var ecosystem: String? {
        switch type {
        case "deb": return "Debian"
        case "pypi": return "PyPI"
        case "golang": return "Go"
        case "npm": return "npm"
        case "cargo": return "crates.io"
        case "gem": return "RubyGems"
        case "maven": return "Maven"
        case "nuget": return "NuGet"
        case "composer": return "Packagist"
        case "hex": return "Hex"
        case "pub": return "Pub"
        default: return nil
        }
    }

    /// The name as the ecosystem spells it (Go modules and npm scopes include the namespace).
    public var fullName: String {
        switch type {
        case "golang", "npm", "composer": return namespace.map { "\($0)/\(name)" } ?? name
        case "maven": return namespace.map { "\($0):\(name)" } ?? name
        default: return name
        }
    }

    private static func decode(_ text: Substring) -> String { String(text).removingPercentEncoding ?? String(text) }
}
