/// The `oci-layout` marker file of an OCI image layout.
public struct OCILayoutMarker: Codable, Hashable, Sendable {
    public var imageLayoutVersion: String

    public init(imageLayoutVersion: String = "1.0.0") { self.imageLayoutVersion = imageLayoutVersion }
}

/// One entry of a docker-archive's `manifest.json` (what `docker save` writes, `docker load` reads).
public struct DockerArchiveManifestEntry: Codable, Hashable, Sendable {
    public var config: String
    public var repoTags: [String]?
    public var layers: [String]
    public var layerSources: [String: Descriptor]?

    enum CodingKeys: String, CodingKey {
        case config = "Config"
        case repoTags = "RepoTags"
        case layers = "Layers"
        case layerSources = "LayerSources"
    }

    public init(config: String, repoTags: [String]?, layers: [String], layerSources: [String: Descriptor]? = nil) {
        self.config = config
        self.repoTags = repoTags
        self.layers = layers
        self.layerSources = layerSources
    }
}
