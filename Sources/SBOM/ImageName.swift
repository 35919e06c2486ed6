import Foundation
import ImageTransport

/// A short name for an image in documents, from its reference: the folder or file name without extension,
/// or the repository's last component. The same image at another path keeps its digest but may change name.
public enum ImageName {
    /// `oci:build/app` → `app`, `docker-archive:out/app.tar` → `app`, `ghcr.io/org/app:1` → `app`.
    public static func of(_ reference: ImageReference) -> String {
        let path: String
        switch reference {
        case .oci(let p, _), .ociArchive(let p, _), .dockerArchive(let p, _), .dir(let p), .rootfs(let p): path = p
        case .registry(let ref):
            return ref.repository.split(separator: "/").last.map(String.init) ?? "image"
        case .memory(let name): return name.isEmpty ? "image" : name
        }
        var name = (path as NSString).standardizingPath
        name = (name as NSString).lastPathComponent
        for suffix in [".tar.gz", ".tgz", ".tar"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        return name.isEmpty || name == "/" || name == "." ? "image" : name
    }
}
