import Foundation

/// Reads the components of a CycloneDX JSON document (any 1.x version, from any tool).
public enum CycloneDXReader {
    /// The packages in `data`; `file` names the document in errors and reports.
    public static func read(_ data: Data, file: String) throws(VulnerabilityError) -> ScanSubject {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw .malformedSBOM(file: file, reason: "\(error)")
        }
        guard document.bomFormat == "CycloneDX" else { throw .malformedSBOM(file: file, reason: "bomFormat is not CycloneDX") }
        var subject = ScanSubject(name: file, packages: [])
        var all: [Component] = []
        func collect(_ components: [Component]?) {
            for component in components ?? [] {
                all.append(component)
                collect(component.components)
            }
        }
        if let root = document.metadata?.component { all.append(root) }
        collect(document.components)
        for component in all {
            if component.type == "operating-system" {
                subject.osFamily = component.name.lowercased()
                subject.osVersion = component.version
                continue
            }
            var properties: [String: String] = [:]
            for property in component.properties ?? [] where properties[property.name] == nil { properties[property.name] = property.value }
            let mapped = SBOMComponent(name: component.name, version: component.version, purl: component.purl, properties: properties)
            if subject.osFamily == nil, let distro = mapped.distro {
                subject.osFamily = distro.family
                subject.osVersion = distro.version
            }
            if let package = mapped.package() { subject.packages.append(package) }
        }
        return subject
    }

    private struct Document: Decodable {
        var bomFormat: String
        var metadata: Metadata?
        var components: [Component]?
    }

    private struct Metadata: Decodable {
        var component: Component?
    }

    private struct Component: Decodable {
        var type: String?
        var name: String
        var version: String?
        var purl: String?
        var properties: [Property]?
        var components: [Component]?
    }

    private struct Property: Decodable {
        var name: String
        var value: String?
    }
}
