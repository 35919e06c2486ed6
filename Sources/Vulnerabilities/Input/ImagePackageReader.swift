import Archive
import Foundation
import ImageFormat
import ImageTransport

/// Reads the installed packages of an image straight from its layers: dpkg's status (and distroless
/// `status.d/*`), Python `*.dist-info/METADATA` and os-release. Only those small files are read; every
/// layer is verified against its digest on the way.
///
/// Kept behind ``read(reference:platform:)`` so an SBOM cataloger can replace it.
public enum ImagePackageReader {
    /// The packages of the image at `reference` (`platform` nil: the only one, or the host's).
    public static func read(reference: String, platform: Platform? = nil) throws -> ScanSubject {
        let source = try ImageReference(parsing: reference).openSource()
        defer { source.close() }
        let image = try source.image(for: platform)
        // Path → (layer index, bytes); whiteouts and later layers replace what lower layers left.
        var files: [String: (layer: Int, data: Data)] = [:]
        for (index, layer) in image.manifest.layers.enumerated() {
            let blob = try source.openVerifiedBlob(layer)
            let name = "\(reference) layer \(index + 1) (\(layer.digest))"
            let reader = try ArchiveReader(source: blob, format: .tar, name: name)
            while let entry = try reader.nextEntry() {
                guard let path = try ArchivePath.normalize(entry.rawPath, archive: name) else { continue }
                let base = ArchivePath.basename(of: path)
                let parent = ArchivePath.parent(of: path).map { $0 + "/" } ?? ""
                if let whiteout = Whiteout(basename: base) {
                    switch whiteout {
                    case .remove(let target):
                        let gone = parent + target
                        files = files.filter { !($0.value.layer < index && ($0.key == gone || $0.key.hasPrefix(gone + "/"))) }
                    case .opaque:
                        files = files.filter { !($0.value.layer < index && $0.key.hasPrefix(parent)) }
                    case .ignored: break
                    }
                    continue
                }
                if entry.kind != .directory, !files.isEmpty {
                    // A file, link or device replaces whatever a lower layer had at its path (a directory merges).
                    files = files.filter { !($0.value.layer < index && ($0.key == path || $0.key.hasPrefix(path + "/"))) }
                }
                if entry.kind == .regular, isWanted(path) {
                    files[path] = (index, try reader.readAll(limit: 64 << 20, what: "\(name): \(path)"))
                }
            }
            // libarchive stops at the end-of-archive marker; read on so the digest check sees every byte.
            try blob.copy(to: NullSink())
        }
        return try subject(reference: reference, files: files.mapValues(\.data))
    }

    private static func isWanted(_ path: String) -> Bool {
        path == "var/lib/dpkg/status" || path == "etc/os-release" || path == "usr/lib/os-release"
            || (path.hasPrefix("var/lib/dpkg/status.d/") && !path.hasSuffix(".md5sums") && !path.dropFirst(22).contains("/"))
            || (path.hasSuffix(".dist-info/METADATA"))
    }

    static func subject(reference: String, files: [String: Data]) throws -> ScanSubject {
        var packages: [ScannedPackage] = []
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            if path.hasPrefix("var/lib/dpkg/") {
                packages += try DpkgStatusParser.packages(data, file: "\(reference): /\(path)")
            } else if path.hasSuffix("METADATA"), let package = PythonMetadataParser.package(data) {
                packages.append(package)
            }
        }
        let osRelease = files["etc/os-release"] ?? files["usr/lib/os-release"]
        let fields = osRelease.map(parseOSRelease) ?? [:]
        var seen = Set<ScannedPackage>()
        packages = packages.filter { seen.insert($0).inserted }
        return ScanSubject(name: reference, osFamily: fields["ID"], osVersion: fields["VERSION_ID"], packages: packages)
    }

    /// `KEY=value` lines of os-release, quotes removed.
    static func parseOSRelease(_ data: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        }
        return fields
    }
}
