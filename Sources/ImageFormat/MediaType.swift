/// OCI and Docker schema 2 media type strings.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let ociEmpty = "application/vnd.oci.empty.v1+json"

    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar"
    public static let dockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"

    /// Whether `mediaType` names a single-platform image manifest.
    public static func isManifest(_ mediaType: String) -> Bool {
        mediaType == ociManifest || mediaType == dockerManifest
    }

    /// Whether `mediaType` names a multi-platform index or manifest list.
    public static func isIndex(_ mediaType: String) -> Bool {
        mediaType == ociIndex || mediaType == dockerManifestList
    }

    /// The compression of a layer media type.
    public static func layerCompression(_ mediaType: String) -> LayerCompression? {
        switch mediaType {
        case ociLayer, dockerLayer: return LayerCompression.none
        case ociLayerGzip, dockerLayerGzip, dockerForeignLayerGzip: return .gzip
        case ociLayerZstd: return .zstd
        default: return nil
        }
    }
}

/// How a layer blob is compressed.
public enum LayerCompression: String, Sendable, CaseIterable, Codable {
    case none, gzip, zstd

    /// The OCI media type of a layer compressed this way.
    public var ociMediaType: String {
        switch self {
        case .none: return MediaType.ociLayer
        case .gzip: return MediaType.ociLayerGzip
        case .zstd: return MediaType.ociLayerZstd
        }
    }
}
