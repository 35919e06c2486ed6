/// A CycloneDX 1.6 component (library, application, container, operating system…); the `swid`, `pedigree`,
/// `evidence`, `releaseNotes`, `modelCard`, `data` and `cryptoProperties` members are not modelled.
public struct CycloneDXComponent: Codable, Hashable, Sendable {
    /// `application`, `framework`, `library`, `container`, `platform`, `operating-system`, `device`,
    /// `device-driver`, `firmware`, `file`, `machine-learning-model`, `data`, `cryptographic-asset`.
    public var type: String
    public var mimeType: String?
    public var bomRef: String?
    public var supplier: CycloneDXOrganization?
    public var manufacturer: CycloneDXOrganization?
    public var authors: [CycloneDXContact]?
    public var publisher: String?
    public var group: String?
    public var name: String
    public var version: String?
    public var description: String?
    /// `required`, `optional` or `excluded`.
    public var scope: String?
    public var hashes: [CycloneDXHash]?
    public var licenses: [CycloneDXLicenseChoice]?
    public var copyright: String?
    public var cpe: String?
    public var purl: String?
    public var omniborId: [String]?
    public var swhid: [String]?
    public var externalReferences: [CycloneDXExternalReference]?
    public var properties: [CycloneDXProperty]?
    public var components: [CycloneDXComponent]?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey {
        case type
        case mimeType = "mime-type"
        case bomRef = "bom-ref"
        case supplier, manufacturer, authors, publisher, group, name, version, description, scope, hashes, licenses, copyright
        case cpe, purl, omniborId, swhid, externalReferences, properties, components, tags
    }

    public init(
        type: String, mimeType: String? = nil, bomRef: String? = nil, supplier: CycloneDXOrganization? = nil,
        manufacturer: CycloneDXOrganization? = nil, authors: [CycloneDXContact]? = nil, publisher: String? = nil,
        group: String? = nil, name: String, version: String? = nil, description: String? = nil, scope: String? = nil,
        hashes: [CycloneDXHash]? = nil, licenses: [CycloneDXLicenseChoice]? = nil, copyright: String? = nil, cpe: String? = nil,
        purl: String? = nil, omniborId: [String]? = nil, swhid: [String]? = nil,
        externalReferences: [CycloneDXExternalReference]? = nil, properties: [CycloneDXProperty]? = nil,
        components: [CycloneDXComponent]? = nil, tags: [String]? = nil
    ) {
        self.type = type
        self.mimeType = mimeType
        self.bomRef = bomRef
        self.supplier = supplier
        self.manufacturer = manufacturer
        self.authors = authors
        self.publisher = publisher
        self.group = group
        self.name = name
        self.version = version
        self.description = description
        self.scope = scope
        self.hashes = hashes
        self.licenses = licenses
        self.copyright = copyright
        self.cpe = cpe
        self.purl = purl
        self.omniborId = omniborId
        self.swhid = swhid
        self.externalReferences = externalReferences
        self.properties = properties
        self.components = components
        self.tags = tags
    }
}

/// A service (an API the software calls), with the members an image SBOM could carry.
public struct CycloneDXService: Codable, Hashable, Sendable {
    public var bomRef: String?
    public var provider: CycloneDXOrganization?
    public var group: String?
    public var name: String
    public var version: String?
    public var description: String?
    public var endpoints: [String]?
    public var authenticated: Bool?
    public var crossesTrustBoundary: Bool?
    public var trustZone: String?
    public var licenses: [CycloneDXLicenseChoice]?
    public var externalReferences: [CycloneDXExternalReference]?
    public var properties: [CycloneDXProperty]?
    public var services: [CycloneDXService]?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey {
        case bomRef = "bom-ref"
        case crossesTrustBoundary = "x-trust-boundary"
        case provider, group, name, version, description, endpoints, authenticated, trustZone, licenses, externalReferences
        case properties, services, tags
    }

    public init(bomRef: String? = nil, name: String, version: String? = nil) {
        self.bomRef = bomRef
        self.name = name
        self.version = version
    }
}

/// One entry of a `licenses` array: a single license, or an SPDX expression.
public enum CycloneDXLicenseChoice: Codable, Hashable, Sendable {
    case license(CycloneDXLicense)
    case expression(String)

    enum CodingKeys: String, CodingKey {
        case license, expression
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let license = try container.decodeIfPresent(CycloneDXLicense.self, forKey: .license) {
            self = .license(license)
        } else {
            self = .expression(try container.decode(String.self, forKey: .expression))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .license(let license): try container.encode(license, forKey: .license)
        case .expression(let expression): try container.encode(expression, forKey: .expression)
        }
    }
}

/// A license by SPDX `id` or by `name` (exactly one of them).
public struct CycloneDXLicense: Codable, Hashable, Sendable {
    public var id: String?
    public var name: String?
    /// `declared` or `concluded`.
    public var acknowledgement: String?
    public var url: String?
    public var bomRef: String?

    enum CodingKeys: String, CodingKey {
        case id, name, acknowledgement, url
        case bomRef = "bom-ref"
    }

    public init(id: String? = nil, name: String? = nil, acknowledgement: String? = nil, url: String? = nil, bomRef: String? = nil) {
        self.id = id
        self.name = name
        self.acknowledgement = acknowledgement
        self.url = url
        self.bomRef = bomRef
    }
}

/// A note about parts of the BOM by a person, organization, component or service.
public struct CycloneDXAnnotation: Codable, Hashable, Sendable {
    /// Who wrote the annotation (exactly one member set).
    public struct Annotator: Codable, Hashable, Sendable {
        public var organization: CycloneDXOrganization?
        public var individual: CycloneDXContact?
        public var component: CycloneDXComponent?
        public var service: CycloneDXService?

        public init(
            organization: CycloneDXOrganization? = nil, individual: CycloneDXContact? = nil, component: CycloneDXComponent? = nil,
            service: CycloneDXService? = nil
        ) {
            self.organization = organization
            self.individual = individual
            self.component = component
            self.service = service
        }
    }

    public var bomRef: String?
    public var subjects: [String]
    public var annotator: Annotator
    public var timestamp: String
    public var text: String

    enum CodingKeys: String, CodingKey {
        case bomRef = "bom-ref"
        case subjects, annotator, timestamp, text
    }

    public init(bomRef: String? = nil, subjects: [String], annotator: Annotator, timestamp: String, text: String) {
        self.bomRef = bomRef
        self.subjects = subjects
        self.annotator = annotator
        self.timestamp = timestamp
        self.text = text
    }
}
