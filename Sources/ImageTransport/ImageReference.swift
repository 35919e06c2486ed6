/// Where an image lives, named with skopeo's transport syntax.
public enum ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// An OCI image layout directory; `tag` selects an entry of its index.json by ref name.
    case oci(path: String, tag: String?)
    /// A tar of an OCI image layout.
    case ociArchive(path: String, tag: String?)
    /// A `docker save` tarball; `tag` (`name:tag`) selects or names the image.
    case dockerArchive(path: String, tag: String?)
    /// skopeo's `dir:` format: manifest.json, version and the blobs in a folder.
    case dir(path: String)
    /// A plain root filesystem directory (read only; distill's own transport, skopeo has none).
    case rootfs(path: String)
    /// A registry reference `host/repo[:tag|@digest]`.
    case registry(String)
    /// An image held by a ``MemoryImage`` in this process (tests and tools); never parsed from user input.
    case memory(name: String)

    /// Parses `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`, `docker-archive:FILE[:NAME:TAG]`, `dir:DIR`,
    /// `rootfs:DIR`, `docker://HOST/REPO…` or a bare `HOST/REPO[:TAG|@DIGEST]`.
    public init(parsing string: String) throws(ImageTransportError) {
        func split(_ rest: Substring) -> (String, String?) {
            guard let colon = rest.firstIndex(of: ":") else { return (String(rest), nil) }
            let tag = String(rest[rest.index(after: colon)...])
            return (String(rest[..<colon]), tag.isEmpty ? nil : tag)
        }
        func nonEmpty(_ path: String) throws(ImageTransportError) -> String {
            if path.isEmpty { throw .invalidReference(string, reason: "the path is empty") }
            return path
        }
        if string.hasPrefix("oci:") {
            let (path, tag) = split(string.dropFirst(4))
            self = .oci(path: try nonEmpty(path), tag: tag)
        } else if string.hasPrefix("oci-archive:") {
            let (path, tag) = split(string.dropFirst(12))
            self = .ociArchive(path: try nonEmpty(path), tag: tag)
        } else if string.hasPrefix("docker-archive:") {
            let (path, tag) = split(string.dropFirst(15))
            self = .dockerArchive(path: try nonEmpty(path), tag: tag)
        } else if string.hasPrefix("dir:") {
            self = .dir(path: try nonEmpty(String(string.dropFirst(4))))
        } else if string.hasPrefix("rootfs:") {
            self = .rootfs(path: try nonEmpty(String(string.dropFirst(7))))
        } else if string.hasPrefix("docker://") {
            let rest = String(string.dropFirst(9))
            if rest.isEmpty { throw .invalidReference(string, reason: "the repository is empty") }
            self = .registry(rest)
        } else if let slash = string.firstIndex(of: "/"), slash != string.startIndex,
            !string[..<slash].contains(":") || string[..<slash].split(separator: ":").last!.allSatisfy(\.isNumber)
        {
            // HOST[:PORT]/REPO…: the part before the first slash has no colon other than a port's.
            self = .registry(string)
        } else if let colon = string.firstIndex(of: ":") {
            throw .invalidReference(string, reason: "unknown transport '\(string[..<colon]):'")
        } else {
            throw .invalidReference(string, reason: "no transport given")
        }
    }

    public var description: String {
        switch self {
        case .oci(let path, let tag): return "oci:\(path)" + (tag.map { ":\($0)" } ?? "")
        case .ociArchive(let path, let tag): return "oci-archive:\(path)" + (tag.map { ":\($0)" } ?? "")
        case .dockerArchive(let path, let tag): return "docker-archive:\(path)" + (tag.map { ":\($0)" } ?? "")
        case .dir(let path): return "dir:\(path)"
        case .rootfs(let path): return "rootfs:\(path)"
        case .registry(let ref): return ref
        case .memory(let name): return "memory:\(name)"
        }
    }
}
