import Foundation
import ImageFormat

/// Renders an ``ImageCatalog`` as an SPDX 2.3 document: the image as the described package, containing
/// the operating system and every cataloged package, each with its purl and where it was found.
public enum SPDXWriter {
    /// The document; the same catalog gives the same document.
    public static func document(for catalog: ImageCatalog, tool: SBOMTool = .distill) -> SPDXDocument {
        let subject = catalog.subject
        let imageID = "SPDXRef-Image"
        let digest = subject.manifestDigest
        var packages: [SPDXPackage] = [
            SPDXPackage(
                SPDXID: imageID, name: subject.name, versionInfo: digest.description, supplier: "NOASSERTION",
                downloadLocation: "NOASSERTION", filesAnalyzed: false,
                checksums: [SPDXChecksum(algorithm: digest.algorithm.uppercased(), checksumValue: digest.encoded)],
                licenseConcluded: "NOASSERTION", licenseDeclared: "NOASSERTION", copyrightText: "NOASSERTION",
                comment: "config \(subject.configDigest), \(subject.os)/\(subject.architecture), layers: "
                    + subject.diffIDs.map(\.description).joined(separator: " "),
                externalRefs: [purlRef(PackageURL.image(name: subject.name, digest: digest.description, architecture: subject.architecture))],
                primaryPackagePurpose: "CONTAINER")
        ]
        var relationships = [SPDXRelationship(spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: imageID)]
        if let distribution = catalog.distribution {
            packages.append(
                SPDXPackage(
                    SPDXID: "SPDXRef-OperatingSystem", name: distribution.id, versionInfo: distribution.versionID, supplier: "NOASSERTION",
                    downloadLocation: "NOASSERTION", filesAnalyzed: false, licenseConcluded: "NOASSERTION", licenseDeclared: "NOASSERTION",
                    copyrightText: "NOASSERTION", comment: distribution.prettyName, primaryPackagePurpose: "OPERATING-SYSTEM"))
            relationships.append(
                SPDXRelationship(spdxElementId: imageID, relationshipType: "CONTAINS", relatedSpdxElement: "SPDXRef-OperatingSystem"))
        }
        var extracted: [String: SPDXExtractedLicensingInfo] = [:]
        var used: Set<String> = []
        for package in catalog.packages {
            let purl = PackageURL.of(package, distribution: catalog.distribution)
            let id = uniqueID(for: package, purl: purl, used: &used)
            var declared = "NOASSERTION"
            if !package.licenses.isEmpty {
                let ids = package.licenses.map { name -> String in
                    if let spdx = LicenseNames.spdxID(name) { return spdx }
                    let reference = LicenseNames.reference(name)
                    extracted[reference] = SPDXExtractedLicensingInfo(
                        licenseId: reference, extractedText: "The license named '\(name)' by the package's own records.", name: name)
                    return reference
                }
                declared = Array(Set(ids)).sorted().joined(separator: " AND ")
            }
            var source = "\(package.ecosystem.rawValue) package record at \(SBOMIdentity.origin(package, subject))"
            if let name = package.sourceName, name != package.name || package.sourceVersion != package.version {
                source += "; source package \(name) \(package.sourceVersion ?? package.version)"
            }
            if let toolchain = package.goToolchain { source += "; built with \(toolchain)" }
            packages.append(
                SPDXPackage(
                    SPDXID: id, name: package.name, versionInfo: package.version, supplier: supplier(package.supplier),
                    downloadLocation: "NOASSERTION", filesAnalyzed: false, sourceInfo: source, licenseConcluded: "NOASSERTION",
                    licenseDeclared: declared, copyrightText: "NOASSERTION", externalRefs: [purlRef(purl)],
                    primaryPackagePurpose: package.isMainModule == true ? "APPLICATION" : "LIBRARY"))
            relationships.append(SPDXRelationship(spdxElementId: imageID, relationshipType: "CONTAINS", relatedSpdxElement: id))
        }
        let seed = "spdx \(tool.name) \(tool.version) \(subject.name) \(digest)"
        return SPDXDocument(
            name: "\(subject.name)@\(digest)",
            documentNamespace: "https://spdx.org/spdxdocs/\(tool.name)/\(sanitized(subject.name))-\(SBOMIdentity.uuid(seed))",
            creationInfo: SPDXCreationInfo(created: SBOMIdentity.timestamp(subject.created), creators: ["Tool: \(tool.name)-\(tool.version)"]),
            hasExtractedLicensingInfos: extracted.isEmpty ? nil : extracted.keys.sorted().map { extracted[$0]! },
            packages: packages, relationships: relationships)
    }

    private static func purlRef(_ purl: String) -> SPDXExternalRef {
        SPDXExternalRef(referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: purl)
    }

    /// `SPDXRef-` ids allow letters, digits, `.` and `-`; a digest of the purl and location keeps them unique.
    private static func uniqueID(for package: CatalogedPackage, purl: String, used: inout Set<String>) -> String {
        let hash = Digest.sha256(of: Data("\(purl) \(package.location)".utf8)).encoded
        var length = 16
        var id = "SPDXRef-Package-\(package.ecosystem.rawValue)-\(sanitized(package.name))-\(hash.prefix(length))"
        while used.contains(id) && length < hash.count {
            length += 8
            id = "SPDXRef-Package-\(package.ecosystem.rawValue)-\(sanitized(package.name))-\(hash.prefix(length))"
        }
        // The same package recorded twice in one file: number the copies.
        if used.contains(id) {
            var copy = 2
            while used.contains("\(id)-\(copy)") { copy += 1 }
            id += "-\(copy)"
        }
        used.insert(id)
        return id
    }

    private static func sanitized(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "-" })
    }

    /// SPDX wants `Person: NAME (EMAIL)`; records write `NAME <EMAIL>`.
    private static func supplier(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "NOASSERTION" }
        guard let open = text.firstIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            return "Organization: " + text.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
        }
        let name = text[..<open].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "(", with: "")
            .replacingOccurrences(of: ")", with: "")
        let email = text[text.index(after: open)..<close]
        return name.isEmpty ? "NOASSERTION" : "Person: \(name) (\(email))"
    }
}
