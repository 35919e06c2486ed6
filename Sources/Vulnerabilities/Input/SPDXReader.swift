import Foundation

/// Reads the packages of an SPDX 2.x JSON document (from any tool), by their purl external references.
public enum SPDXReader {
    /// The packages in `data`; `file` names the document in errors and reports.
    public static func read(_ data: Data, file: String) throws(VulnerabilityError) -> ScanSubject {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw .malformedSBOM(file: file, reason: "\(error)")
        }
        guard document.spdxVersion.hasPrefix("SPDX-") else { throw .malformedSBOM(file: file, reason: "spdxVersion is not SPDX-x.y") }
        var subject = ScanSubject(name: file, packages: [])
        for package in document.packages ?? [] {
            if package.primaryPackagePurpose == "OPERATING-SYSTEM" {
                subject.osFamily = package.name.lowercased()
                subject.osVersion = package.versionInfo
                continue
            }
            let purl = package.externalRefs?.first { $0.referenceType == "purl" }?.referenceLocator
            let mapped = SBOMComponent(name: package.name, version: package.versionInfo, purl: purl, sourceInfo: package.sourceInfo)
            if subject.osFamily == nil, let distro = mapped.distro {
                subject.osFamily = distro.family
                subject.osVersion = distro.version
            }
            if let scanned = mapped.package() { subject.packages.append(scanned) }
        }
        return subject
    }

    private struct Document: Decodable {
        var spdxVersion: String
        var packages: [Package]?
    }

    private struct Package: Decodable {
        var name: String
        var versionInfo: String?
        var sourceInfo: String?
        var primaryPackagePurpose: String?
        var externalRefs: [ExternalRef]?
    }

    private struct ExternalRef: Decodable {
        var referenceType: String
        var referenceLocator: String
    }
}
