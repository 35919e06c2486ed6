import Foundation
import ImageFormat

/// The SBOM formats distill writes.
public enum SBOMFormat: String, Sendable, CaseIterable {
    case spdxJSON = "spdx-json"
    case cycloneDXJSON = "cyclonedx-json"

    /// Parses a format name as the command line gives it.
    public init(name: String) throws(SBOMError) {
        guard let format = SBOMFormat(rawValue: name.lowercased()) else { throw .unknownFormat(name) }
        self = format
    }

    /// The conventional file name suffix (`.spdx.json`, `.cdx.json`).
    public var fileSuffix: String {
        switch self {
        case .spdxJSON: return ".spdx.json"
        case .cycloneDXJSON: return ".cdx.json"
        }
    }

    /// The document for `catalog`, encoded: pretty-printed with sorted keys, so equal catalogs give equal bytes.
    public func encode(_ catalog: ImageCatalog, tool: SBOMTool = .distill) throws -> Data {
        switch self {
        case .spdxJSON: return try Self.json(SPDXWriter.document(for: catalog, tool: tool))
        case .cycloneDXJSON: return try Self.json(CycloneDXWriter.bom(for: catalog, tool: tool))
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(value)
            data.append(UInt8(ascii: "\n"))
            return data
        } catch {
            throw SBOMError.encoding(what: String(describing: T.self), reason: "\(error)")
        }
    }
}

/// The tool named as the SBOM's creator.
public struct SBOMTool: Sendable, Hashable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// distill itself, at the version the library was built as.
    public static let distill = SBOMTool(name: "distill", version: "0.1.0")
}

/// Values both writers derive from the image, so they never depend on the clock or the machine.
enum SBOMIdentity {
    /// The configuration's `created` as `YYYY-MM-DDThh:mm:ssZ` (SPDX's form), or the Unix epoch without one.
    static func timestamp(_ created: String?) -> String {
        created.flatMap(RFC3339.normalized) ?? "1970-01-01T00:00:00Z"
    }

    /// A name-based UUID (version 5 layout) from `seed`: the same image gives the same serial number.
    static func uuid(_ seed: String) -> String {
        var bytes = Array(Digest.sha256(of: Data(seed.utf8)).encoded.utf8.prefix(32))
        // Work on the hex digits: set the version nibble to 5 and the variant to 10xx.
        bytes[12] = UInt8(ascii: "5")
        let variant = "89ab".utf8.map { $0 }
        bytes[16] = variant[Int(bytes[16]) % 4]
        let hex = String(decoding: bytes, as: UTF8.self)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// Where a package was found, for people: the file and the layer.
    static func origin(_ package: CatalogedPackage, _ subject: ImageSubject) -> String {
        var text = "/\(package.location) in layer \(package.layer + 1)"
        if package.layer < subject.diffIDs.count { text += " (\(subject.diffIDs[package.layer]))" }
        return text
    }
}
