/// An SPDX 2.3 document in its JSON serialization, field for field (spdx-schema.json of SPDX 2.3).
public struct SPDXDocument: Codable, Hashable, Sendable {
    public var spdxVersion: String
    public var dataLicense: String
    public var SPDXID: String
    public var name: String
    public var documentNamespace: String
    public var creationInfo: SPDXCreationInfo
    public var comment: String?
    public var externalDocumentRefs: [SPDXExternalDocumentRef]?
    public var hasExtractedLicensingInfos: [SPDXExtractedLicensingInfo]?
    public var annotations: [SPDXAnnotation]?
    /// Deprecated in 2.3 in favour of DESCRIBES relationships, still read.
    public var documentDescribes: [String]?
    public var packages: [SPDXPackage]?
    public var files: [SPDXFile]?
    public var snippets: [SPDXSnippet]?
    public var relationships: [SPDXRelationship]?

    public init(
        spdxVersion: String = "SPDX-2.3", dataLicense: String = "CC0-1.0", SPDXID: String = "SPDXRef-DOCUMENT", name: String,
        documentNamespace: String, creationInfo: SPDXCreationInfo, comment: String? = nil,
        externalDocumentRefs: [SPDXExternalDocumentRef]? = nil, hasExtractedLicensingInfos: [SPDXExtractedLicensingInfo]? = nil,
        annotations: [SPDXAnnotation]? = nil, documentDescribes: [String]? = nil, packages: [SPDXPackage]? = nil,
        files: [SPDXFile]? = nil, snippets: [SPDXSnippet]? = nil, relationships: [SPDXRelationship]? = nil
    ) {
        self.spdxVersion = spdxVersion
        self.dataLicense = dataLicense
        self.SPDXID = SPDXID
        self.name = name
        self.documentNamespace = documentNamespace
        self.creationInfo = creationInfo
        self.comment = comment
        self.externalDocumentRefs = externalDocumentRefs
        self.hasExtractedLicensingInfos = hasExtractedLicensingInfos
        self.annotations = annotations
        self.documentDescribes = documentDescribes
        self.packages = packages
        self.files = files
        self.snippets = snippets
        self.relationships = relationships
    }
}

/// Who made the document and when.
public struct SPDXCreationInfo: Codable, Hashable, Sendable {
    /// `YYYY-MM-DDThh:mm:ssZ`.
    public var created: String
    /// `Tool: name-version`, `Organization: …`, `Person: …`.
    public var creators: [String]
    public var licenseListVersion: String?
    public var comment: String?

    public init(created: String, creators: [String], licenseListVersion: String? = nil, comment: String? = nil) {
        self.created = created
        self.creators = creators
        self.licenseListVersion = licenseListVersion
        self.comment = comment
    }
}

/// A checksum of a package, file or external document.
public struct SPDXChecksum: Codable, Hashable, Sendable {
    /// `SHA1`, `SHA256`, `SHA512`, `MD5`, `BLAKE3`…
    public var algorithm: String
    public var checksumValue: String

    public init(algorithm: String, checksumValue: String) {
        self.algorithm = algorithm
        self.checksumValue = checksumValue
    }
}

/// Another SPDX document this one refers to.
public struct SPDXExternalDocumentRef: Codable, Hashable, Sendable {
    public var externalDocumentId: String
    public var spdxDocument: String
    public var checksum: SPDXChecksum

    public init(externalDocumentId: String, spdxDocument: String, checksum: SPDXChecksum) {
        self.externalDocumentId = externalDocumentId
        self.spdxDocument = spdxDocument
        self.checksum = checksum
    }
}

/// A license that is not on the SPDX list, referred to as `LicenseRef-…`.
public struct SPDXExtractedLicensingInfo: Codable, Hashable, Sendable {
    public var licenseId: String
    public var extractedText: String
    public var name: String?
    public var comment: String?
    public var seeAlsos: [String]?
    public var crossRefs: [SPDXCrossRef]?

    public init(
        licenseId: String, extractedText: String, name: String? = nil, comment: String? = nil, seeAlsos: [String]? = nil,
        crossRefs: [SPDXCrossRef]? = nil
    ) {
        self.licenseId = licenseId
        self.extractedText = extractedText
        self.name = name
        self.comment = comment
        self.seeAlsos = seeAlsos
        self.crossRefs = crossRefs
    }
}

/// A URL where a license's text was found, with what is known about it.
public struct SPDXCrossRef: Codable, Hashable, Sendable {
    public var url: String
    public var isLive: Bool?
    public var isValid: Bool?
    public var isWayBackLink: Bool?
    public var match: String?
    public var order: Int?
    public var timestamp: String?

    public init(
        url: String, isLive: Bool? = nil, isValid: Bool? = nil, isWayBackLink: Bool? = nil, match: String? = nil, order: Int? = nil,
        timestamp: String? = nil
    ) {
        self.url = url
        self.isLive = isLive
        self.isValid = isValid
        self.isWayBackLink = isWayBackLink
        self.match = match
        self.order = order
        self.timestamp = timestamp
    }
}

/// A review or note attached to an element.
public struct SPDXAnnotation: Codable, Hashable, Sendable {
    public var annotationDate: String
    /// `REVIEW` or `OTHER`.
    public var annotationType: String
    public var annotator: String
    public var comment: String

    public init(annotationDate: String, annotationType: String, annotator: String, comment: String) {
        self.annotationDate = annotationDate
        self.annotationType = annotationType
        self.annotator = annotator
        self.comment = comment
    }
}

/// A typed link between two elements (`DESCRIBES`, `CONTAINS`, `DEPENDS_ON`…).
public struct SPDXRelationship: Codable, Hashable, Sendable {
    public var spdxElementId: String
    public var relationshipType: String
    public var relatedSpdxElement: String
    public var comment: String?

    public init(spdxElementId: String, relationshipType: String, relatedSpdxElement: String, comment: String? = nil) {
        self.spdxElementId = spdxElementId
        self.relationshipType = relationshipType
        self.relatedSpdxElement = relatedSpdxElement
        self.comment = comment
    }
}
