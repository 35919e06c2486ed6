/// A SARIF 2.1.0 log (OASIS sarif-schema-2.1.0.json), with the objects a rule-based checker writes.
public struct SARIFLog: Codable, Hashable, Sendable {
    public var schema: String
    public var version: String
    public var runs: [SARIFRun]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case version, runs
    }

    public init(runs: [SARIFRun]) {
        schema = "https://json.schemastore.org/sarif-2.1.0.json"
        version = "2.1.0"
        self.runs = runs
    }
}

/// One run of one tool.
public struct SARIFRun: Codable, Hashable, Sendable {
    public var tool: SARIFTool
    public var results: [SARIFResult]
    public var properties: SARIFPropertyBag?

    public init(tool: SARIFTool, results: [SARIFResult], properties: SARIFPropertyBag? = nil) {
        self.tool = tool
        self.results = results
        self.properties = properties
    }
}

/// The tool that produced a run.
public struct SARIFTool: Codable, Hashable, Sendable {
    public var driver: SARIFToolComponent

    public init(driver: SARIFToolComponent) { self.driver = driver }
}

/// The tool's main component and its rules.
public struct SARIFToolComponent: Codable, Hashable, Sendable {
    public var name: String
    public var version: String?
    public var semanticVersion: String?
    public var informationUri: String?
    public var rules: [SARIFReportingDescriptor]?

    public init(name: String, version: String? = nil, semanticVersion: String? = nil, informationUri: String? = nil, rules: [SARIFReportingDescriptor]? = nil) {
        self.name = name
        self.version = version
        self.semanticVersion = semanticVersion
        self.informationUri = informationUri
        self.rules = rules
    }
}

/// A rule's metadata.
public struct SARIFReportingDescriptor: Codable, Hashable, Sendable {
    public var id: String
    public var name: String?
    public var shortDescription: SARIFMultiformatMessage?
    public var fullDescription: SARIFMultiformatMessage?
    public var help: SARIFMultiformatMessage?
    public var helpUri: String?
    public var defaultConfiguration: SARIFReportingConfiguration?
    public var properties: SARIFPropertyBag?

    public init(
        id: String, name: String? = nil, shortDescription: SARIFMultiformatMessage? = nil, fullDescription: SARIFMultiformatMessage? = nil,
        help: SARIFMultiformatMessage? = nil, helpUri: String? = nil, defaultConfiguration: SARIFReportingConfiguration? = nil,
        properties: SARIFPropertyBag? = nil
    ) {
        self.id = id
        self.name = name
        self.shortDescription = shortDescription
        self.fullDescription = fullDescription
        self.help = help
        self.helpUri = helpUri
        self.defaultConfiguration = defaultConfiguration
        self.properties = properties
    }
}

/// Text with an optional Markdown form.
public struct SARIFMultiformatMessage: Codable, Hashable, Sendable {
    public var text: String
    public var markdown: String?

    public init(text: String, markdown: String? = nil) {
        self.text = text
        self.markdown = markdown
    }
}

/// A rule's default level (`none`, `note`, `warning`, `error`).
public struct SARIFReportingConfiguration: Codable, Hashable, Sendable {
    public var level: String?
    public var enabled: Bool?

    public init(level: String? = nil, enabled: Bool? = nil) {
        self.level = level
        self.enabled = enabled
    }
}

/// Extra properties; `security-severity` (0–10) is what code-scanning dashboards sort by.
public struct SARIFPropertyBag: Codable, Hashable, Sendable {
    public var tags: [String]?
    public var precision: String?
    public var securitySeverity: String?

    enum CodingKeys: String, CodingKey {
        case tags, precision
        case securitySeverity = "security-severity"
    }

    public init(tags: [String]? = nil, precision: String? = nil, securitySeverity: String? = nil) {
        self.tags = tags
        self.precision = precision
        self.securitySeverity = securitySeverity
    }
}

/// One finding.
public struct SARIFResult: Codable, Hashable, Sendable {
    public var ruleId: String
    public var ruleIndex: Int?
    public var level: String?
    public var kind: String?
    public var message: SARIFMessage
    public var locations: [SARIFLocation]?
    public var partialFingerprints: [String: String]?
    public var suppressions: [SARIFSuppression]?

    public init(
        ruleId: String, ruleIndex: Int? = nil, level: String? = nil, kind: String? = nil, message: SARIFMessage,
        locations: [SARIFLocation]? = nil, partialFingerprints: [String: String]? = nil, suppressions: [SARIFSuppression]? = nil
    ) {
        self.ruleId = ruleId
        self.ruleIndex = ruleIndex
        self.level = level
        self.kind = kind
        self.message = message
        self.locations = locations
        self.partialFingerprints = partialFingerprints
        self.suppressions = suppressions
    }
}

/// A plain message.
public struct SARIFMessage: Codable, Hashable, Sendable {
    public var text: String

    public init(text: String) { self.text = text }
}

/// Where a result is: a file (physical) and/or a named element (logical).
public struct SARIFLocation: Codable, Hashable, Sendable {
    public var physicalLocation: SARIFPhysicalLocation?
    public var logicalLocations: [SARIFLogicalLocation]?

    public init(physicalLocation: SARIFPhysicalLocation? = nil, logicalLocations: [SARIFLogicalLocation]? = nil) {
        self.physicalLocation = physicalLocation
        self.logicalLocations = logicalLocations
    }
}

/// A file, by URI reference.
public struct SARIFPhysicalLocation: Codable, Hashable, Sendable {
    public var artifactLocation: SARIFArtifactLocation

    public init(artifactLocation: SARIFArtifactLocation) { self.artifactLocation = artifactLocation }
}

/// A URI reference, optionally relative to a named base.
public struct SARIFArtifactLocation: Codable, Hashable, Sendable {
    public var uri: String
    public var uriBaseId: String?

    public init(uri: String, uriBaseId: String? = nil) {
        self.uri = uri
        self.uriBaseId = uriBaseId
    }
}

/// A named element such as a configuration field.
public struct SARIFLogicalLocation: Codable, Hashable, Sendable {
    public var name: String?
    public var fullyQualifiedName: String?
    public var kind: String?

    public init(name: String? = nil, fullyQualifiedName: String? = nil, kind: String? = nil) {
        self.name = name
        self.fullyQualifiedName = fullyQualifiedName
        self.kind = kind
    }
}

/// Why a result is not to be acted on (`kind`: `inSource` or `external`).
public struct SARIFSuppression: Codable, Hashable, Sendable {
    public var kind: String
    public var status: String?
    public var justification: String?

    public init(kind: String, status: String? = nil, justification: String? = nil) {
        self.kind = kind
        self.status = status
        self.justification = justification
    }
}
