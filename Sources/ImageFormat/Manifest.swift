/// An OCI image manifest (also accepted: Docker schema 2 manifests, which share the shape).
public struct ImageManifest: Codable, Hashable, Sendable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var artifactType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(
        schemaVersion: Int = 2, mediaType: String? = MediaType.ociManifest, artifactType: String? = nil,
        config: Descriptor, layers: [Descriptor], subject: Descriptor? = nil,
        annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.config = config
        self.layers = layers
        self.subject = subject
        self.annotations = annotations
    }
}

/// An OCI image index (also accepted: Docker manifest lists).
public struct ImageIndex: Codable, Hashable, Sendable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var artifactType: String?
    public var manifests: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(
        schemaVersion: Int = 2, mediaType: String? = MediaType.ociIndex, artifactType: String? = nil,
        manifests: [Descriptor], subject: Descriptor? = nil, annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.manifests = manifests
        self.subject = subject
        self.annotations = annotations
    }
}

/// Well-known annotation keys.
public enum AnnotationKey {
    public static let refName = "org.opencontainers.image.ref.name"
    public static let created = "org.opencontainers.image.created"
    public static let source = "org.opencontainers.image.source"
    public static let revision = "org.opencontainers.image.revision"
    public static let title = "org.opencontainers.image.title"
    public static let baseName = "org.opencontainers.image.base.name"
    public static let baseDigest = "org.opencontainers.image.base.digest"
}
