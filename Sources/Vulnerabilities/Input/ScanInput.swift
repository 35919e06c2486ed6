import Foundation
import ImageFormat
import SBOM

/// Decides whether a `scan` argument is an SBOM file or an image reference, and reads it.
public enum ScanInput {
    /// The packages of `argument`: a CycloneDX or SPDX JSON file, else an image reference (its catalog kept in
    /// `cache` when one is given).
    public static func read(_ argument: String, platform: Platform? = nil, cache: CatalogCache? = nil) async throws -> ScanSubject {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), !isDirectory.boolValue {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: argument))
            } catch {
                throw VulnerabilityError.io(path: argument, reason: "\(error.localizedDescription)")
            }
            struct Probe: Decodable {
                var bomFormat: String?
                var spdxVersion: String?
            }
            guard let probe = try? JSONDecoder().decode(Probe.self, from: data) else {
                throw VulnerabilityError.malformedSBOM(
                    file: argument, reason: "not JSON; give a CycloneDX or SPDX JSON file, or an image reference such as oci:DIR")
            }
            if probe.bomFormat != nil { return try CycloneDXReader.read(data, file: argument) }
            if probe.spdxVersion != nil { return try SPDXReader.read(data, file: argument) }
            throw VulnerabilityError.malformedSBOM(file: argument, reason: "neither bomFormat (CycloneDX) nor spdxVersion (SPDX) is set")
        }
        do {
            return try await ImagePackageReader.read(reference: argument, platform: platform, cache: cache)
        } catch let error as VulnerabilityError {
            throw error
        } catch {
            throw VulnerabilityError.unreadableImage(image: argument, reason: "\(error)")
        }
    }
}
