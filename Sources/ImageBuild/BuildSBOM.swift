import Archive
import Foundation
import ImageFormat
import ImageTransport
import SBOM
import SystemSupport

/// The SBOM files of a build: each layer is cataloged once (a cached layer's catalog is cached with it), and the
/// catalogs are merged per architecture into SPDX and CycloneDX documents.
enum BuildSBOM {
    /// Bump when the catalogers' output for the same layer changes.
    static let catalogVersion = "catalog-1"

    /// The catalog of the cached layer `key` (now layer `position` of the image), from the layer cache, or made by
    /// `read` (only when the cache lacks it) and stored there.
    static func catalog(key: Digest, position: Int, cacheDirectory: String, reading read: () throws -> LayerCatalog) throws -> LayerCatalog {
        let path = cacheDirectory + "/\(key.encoded).\(catalogVersion).json"
        var catalog: LayerCatalog
        if let data = FileManager.default.contents(atPath: path),
            let cached = try? CanonicalJSON.decode(LayerCatalog.self, from: data, what: path)
        {
            catalog = cached
        } else {
            catalog = try read()
            try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
            if let data = try? CanonicalJSON.encode(catalog) { try? AtomicWrite.write(data, to: path) }
        }
        // The same layer may sit higher in another image (on a base image, say).
        for index in catalog.packages.indices { catalog.packages[index].layer = position }
        return catalog
    }

    /// Writes `<name>-<arch>.spdx.json` and `.cdx.json` for every image into each directory, and fills in `sbom`.
    static func write(
        _ images: inout [BuildResult.ArchImage], name: String, layout: String, directories: [String], tool: SBOMTool = .distill
    ) async throws -> [String] {
        let source = try OCILayoutSource(path: layout, tag: nil)
        defer { source.close() }
        let resolved = try await source.images()
        var written: [String] = []
        for index in images.indices {
            guard let image = resolved.first(where: { $0.manifestDescriptor.digest == images[index].manifest.digest }) else { continue }
            var layers: [LayerCatalog] = []
            for task in images[index].layerCatalogs { layers.append(try await task.value) }
            let catalog = LayerCatalog.merge(layers, subject: ImageSubject(name: name, image: image))
            images[index].sbom = catalog
            for format in SBOMFormat.allCases {
                let data = try format.encode(catalog, tool: tool)
                for directory in directories {
                    let path = directory + "/\(name)-\(images[index].architecture)\(format.fileSuffix)"
                    try AtomicWrite.write(data, to: path)
                    written.append(path)
                }
            }
        }
        return written
    }

    /// Where SBOM files go: the output directory for the default outputs, else beside each file or layout written.
    static func directories(outputs: [ImageReference], outputDirectory: String) -> [String] {
        if outputs.isEmpty { return [outputDirectory] }
        var result: [String] = []
        for output in outputs {
            let path: String
            switch output {
            case .oci(let p, _), .ociArchive(let p, _), .dockerArchive(let p, _), .dir(let p): path = p
            case .rootfs, .registry, .memory: continue
            }
            let parent = (path as NSString).deletingLastPathComponent
            let directory = parent.isEmpty ? "." : parent
            if !result.contains(directory) { result.append(directory) }
        }
        return result
    }
}
