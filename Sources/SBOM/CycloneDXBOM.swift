/// A CycloneDX 1.6 BOM in its JSON serialization (bom-1.6.schema.json), field for field for the parts
/// an SBOM of an image uses; `vulnerabilities`, `formulation`, `declarations`, `definitions` and
/// `signature` are not modelled.
public struct CycloneDXBOM: Codable, Hashable, Sendable {
    public var schema: String?
    public var bomFormat: String
    public var specVersion: String
    /// `urn:uuid:…`.
    public var serialNumber: String?
    public var version: Int
    public var metadata: CycloneDXMetadata?
    public var components: [CycloneDXComponent]?
    public var services: [CycloneDXService]?
    public var externalReferences: [CycloneDXExternalReference]?
    public var dependencies: [CycloneDXDependency]?
    public var compositions: [CycloneDXComposition]?
    public var properties: [CycloneDXProperty]?
    public var annotations: [CycloneDXAnnotation]?

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case bomFormat, specVersion, serialNumber, version, metadata, components, services, externalReferences, dependencies
        case compositions, properties, annotations
    }

    public init(
        schema: String? = "http://cyclonedx.org/schema/bom-1.6.schema.json", bomFormat: String = "CycloneDX",
        specVersion: String = "1.6", serialNumber: String? = nil, version: Int = 1, metadata: CycloneDXMetadata? = nil,
        components: [CycloneDXComponent]? = nil, services: [CycloneDXService]? = nil,
        externalReferences: [CycloneDXExternalReference]? = nil, dependencies: [CycloneDXDependency]? = nil,
        compositions: [CycloneDXComposition]? = nil, properties: [CycloneDXProperty]? = nil,
        annotations: [CycloneDXAnnotation]? = nil
    ) {
        self.schema = schema
        self.bomFormat = bomFormat
        self.specVersion = specVersion
        self.serialNumber = serialNumber
        self.version = version
        self.metadata = metadata
        self.components = components
        self.services = services
        self.externalReferences = externalReferences
        self.dependencies = dependencies
        self.compositions = compositions
        self.properties = properties
        self.annotations = annotations
    }
}

/// When and by what the BOM was made, and the component it describes.
public struct CycloneDXMetadata: Codable, Hashable, Sendable {
    public var timestamp: String?
    public var lifecycles: [CycloneDXLifecycle]?
    public var tools: CycloneDXTools?
    public var authors: [CycloneDXContact]?
    public var component: CycloneDXComponent?
    public var manufacturer: CycloneDXOrganization?
    public var supplier: CycloneDXOrganization?
    public var licenses: [CycloneDXLicenseChoice]?
    public var properties: [CycloneDXProperty]?

    public init(
        timestamp: String? = nil, lifecycles: [CycloneDXLifecycle]? = nil, tools: CycloneDXTools? = nil,
        authors: [CycloneDXContact]? = nil, component: CycloneDXComponent? = nil, manufacturer: CycloneDXOrganization? = nil,
        supplier: CycloneDXOrganization? = nil, licenses: [CycloneDXLicenseChoice]? = nil, properties: [CycloneDXProperty]? = nil
    ) {
        self.timestamp = timestamp
        self.lifecycles = lifecycles
        self.tools = tools
        self.authors = authors
        self.component = component
        self.manufacturer = manufacturer
        self.supplier = supplier
        self.licenses = licenses
        self.properties = properties
    }
}

/// A lifecycle phase (`build`, `post-build`, `operations`…) or a named custom one.
public struct CycloneDXLifecycle: Codable, Hashable, Sendable {
    public var phase: String?
    public var name: String?
    public var description: String?

    public init(phase: String? = nil, name: String? = nil, description: String? = nil) {
        self.phase = phase
        self.name = name
        self.description = description
    }
}

/// The tools that made the BOM (the 1.5+ object form).
public struct CycloneDXTools: Codable, Hashable, Sendable {
    public var components: [CycloneDXComponent]?
    public var services: [CycloneDXService]?

    public init(components: [CycloneDXComponent]? = nil, services: [CycloneDXService]? = nil) {
        self.components = components
        self.services = services
    }
}

/// A person to contact.
public struct CycloneDXContact: Codable, Hashable, Sendable {
    public var bomRef: String?
    public var name: String?
    public var email: String?
    public var phone: String?

    enum CodingKeys: String, CodingKey {
        case bomRef = "bom-ref"
        case name, email, phone
    }

    public init(bomRef: String? = nil, name: String? = nil, email: String? = nil, phone: String? = nil) {
        self.bomRef = bomRef
        self.name = name
        self.email = email
        self.phone = phone
    }
}

/// An organization (supplier, manufacturer, provider).
public struct CycloneDXOrganization: Codable, Hashable, Sendable {
    public var bomRef: String?
    public var name: String?
    public var url: [String]?
    public var contact: [CycloneDXContact]?

    enum CodingKeys: String, CodingKey {
        case bomRef = "bom-ref"
        case name, url, contact
    }

    public init(bomRef: String? = nil, name: String? = nil, url: [String]? = nil, contact: [CycloneDXContact]? = nil) {
        self.bomRef = bomRef
        self.name = name
        self.url = url
        self.contact = contact
    }
}

/// A name-value pair; names are namespaced (`distill:layer:diffID`).
public struct CycloneDXProperty: Codable, Hashable, Sendable {
    public var name: String
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// A hash of a component: `alg` is `SHA-256`, `SHA-512`…, `content` the lowercase hex.
public struct CycloneDXHash: Codable, Hashable, Sendable {
    public var alg: String
    public var content: String

    public init(alg: String, content: String) {
        self.alg = alg
        self.content = content
    }
}

/// A link to something outside the BOM (a website, a VCS, a distribution).
public struct CycloneDXExternalReference: Codable, Hashable, Sendable {
    public var url: String
    public var type: String
    public var comment: String?
    public var hashes: [CycloneDXHash]?

    public init(url: String, type: String, comment: String? = nil, hashes: [CycloneDXHash]? = nil) {
        self.url = url
        self.type = type
        self.comment = comment
        self.hashes = hashes
    }
}

/// What one component or service depends on (and, for 1.6, provides).
public struct CycloneDXDependency: Codable, Hashable, Sendable {
    public var ref: String
    public var dependsOn: [String]?
    public var provides: [String]?

    public init(ref: String, dependsOn: [String]? = nil, provides: [String]? = nil) {
        self.ref = ref
        self.dependsOn = dependsOn
        self.provides = provides
    }
}

/// How complete the BOM's knowledge of a set of components is.
public struct CycloneDXComposition: Codable, Hashable, Sendable {
    public var bomRef: String?
    /// `complete`, `incomplete`, `unknown`…
    public var aggregate: String
    public var assemblies: [String]?
    public var dependencies: [String]?
    public var vulnerabilities: [String]?

    enum CodingKeys: String, CodingKey {
        case bomRef = "bom-ref"
        case aggregate, assemblies, dependencies, vulnerabilities
    }

    public init(
        bomRef: String? = nil, aggregate: String, assemblies: [String]? = nil, dependencies: [String]? = nil,
        vulnerabilities: [String]? = nil
    ) {
        self.bomRef = bomRef
        self.aggregate = aggregate
        self.assemblies = assemblies
        self.dependencies = dependencies
        self.vulnerabilities = vulnerabilities
    }
}
