import Foundation
import ImageFormat

/// Renders an ``ImageCatalog`` as a CycloneDX 1.6 BOM: the image as the metadata component, the operating
/// system and every cataloged package as components, each with its purl, layer and location as properties.
public enum CycloneDXWriter {
    /// The BOM; the same catalog gives the same BOM.
    public static func bom(for catalog: ImageCatalog, tool: SBOMTool = .distill) -> CycloneDXBOM {
        let subject = catalog.subject
        let digest = subject.manifestDigest
        let imagePurl = PackageURL.image(name: subject.name, digest: digest.description, architecture: subject.architecture)
        let image = CycloneDXComponent(
            type: "container", bomRef: imagePurl, name: subject.name, version: digest.description,
            hashes: [CycloneDXHash(alg: "SHA-256", content: digest.encoded)], purl: imagePurl,
            properties: [
                CycloneDXProperty(name: "distill:image:config", value: subject.configDigest.description),
                CycloneDXProperty(name: "distill:image:platform", value: "\(subject.os)/\(subject.architecture)"),
            ] + subject.diffIDs.enumerated().map { CycloneDXProperty(name: "distill:image:layer:\($0.offset + 1)", value: $0.element.description) })
        var components: [CycloneDXComponent] = []
        if let distribution = catalog.distribution {
            components.append(
                CycloneDXComponent(
                    type: "operating-system", bomRef: "os:\(distribution.id)@\(distribution.versionID ?? "unknown")", name: distribution.id,
                    version: distribution.versionID, description: distribution.prettyName))
        }
        let purls = catalog.packages.map { PackageURL.of($0, distribution: catalog.distribution) }
        var counts: [String: Int] = [:]
        for purl in purls { counts[purl, default: 0] += 1 }
        var refs: Set<String> = []
        for (package, purl) in zip(catalog.packages, purls) {
            var ref = counts[purl] == 1 ? purl : "\(purl)#/\(package.location)"
            var suffix = 2
            while refs.contains(ref) {
                ref = "\(purl)#/\(package.location)#\(suffix)"
                suffix += 1
            }
            refs.insert(ref)
            components.append(component(package, purl: purl, ref: ref, subject: subject))
        }
        let dependencies = [CycloneDXDependency(ref: imagePurl, dependsOn: components.compactMap(\.bomRef))]
        return CycloneDXBOM(
            serialNumber: "urn:uuid:" + SBOMIdentity.uuid("cyclonedx \(tool.name) \(tool.version) \(subject.name) \(digest)"),
            metadata: CycloneDXMetadata(
                timestamp: SBOMIdentity.timestamp(subject.created),
                tools: CycloneDXTools(components: [CycloneDXComponent(type: "application", name: tool.name, version: tool.version)]),
                component: image),
            components: components, dependencies: dependencies)
    }

    private static func component(_ package: CatalogedPackage, purl: String, ref: String, subject: ImageSubject) -> CycloneDXComponent {
        var properties = [CycloneDXProperty(name: "distill:location", value: "/" + package.location)]
        if package.layer < subject.diffIDs.count {
            properties.append(CycloneDXProperty(name: "distill:layer:diffID", value: subject.diffIDs[package.layer].description))
        }
        if package.layer < subject.layerDigests.count {
            properties.append(CycloneDXProperty(name: "distill:layer:digest", value: subject.layerDigests[package.layer].description))
        }
        if let name = package.sourceName { properties.append(CycloneDXProperty(name: "distill:source:name", value: name)) }
        if let version = package.sourceVersion { properties.append(CycloneDXProperty(name: "distill:source:version", value: version)) }
        if let toolchain = package.goToolchain { properties.append(CycloneDXProperty(name: "distill:go:toolchain", value: toolchain)) }
        var seen: Set<String> = []
        let licenses = package.licenses.compactMap { name -> CycloneDXLicenseChoice? in
            let id = LicenseNames.spdxID(name)
            guard seen.insert(id ?? "name:" + name).inserted else { return nil }
            return .license(id.map { CycloneDXLicense(id: $0) } ?? CycloneDXLicense(name: name))
        }
        return CycloneDXComponent(
            type: package.isMainModule == true ? "application" : "library", bomRef: ref,
            supplier: package.supplier.map { CycloneDXOrganization(name: $0) }, name: package.name, version: package.version,
            licenses: licenses.isEmpty ? nil : licenses, purl: purl, properties: properties)
    }
}
