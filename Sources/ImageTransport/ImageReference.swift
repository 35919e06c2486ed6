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
    /// A registry reference `host/repo[:tag|@digest]` (opened through the installed ``RegistryTransport``).
    case registry(RegistryReference)
    /// An image held by a ``MemoryImage`` in this process (tests and tools); never parsed from user input.
    case memory(name: String)

    /// Parses `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`, `docker-archive:FILE[:NAME:TAG]`, `dir:DIR`,
    /// `rootfs:DIR`, `docker://HOST/REPO…`, a bare `HOST/REPO[:TAG|@DIGEST]`, or a Docker Hub name with a tag or
    /// digest (`python:3.11-slim`).
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
        } else if string.hasPrefix("docker://") || RegistryReference.looksLikeRegistry(string) {
            self = .registry(try RegistryReference(parsing: string))
        } else if let slash = string.firstIndex(of: "/"), Self.namesRegistryHost(string[..<slash]) {
            // HOST[:PORT]/… that the reference grammar refuses: its reason says why.
            self = .registry(try RegistryReference(parsing: string))
        } else if let colon = string.firstIndex(of: ":") {
            throw .invalidReference(string, reason: "unknown transport '\(string[..<colon]):'")
        } else {
            throw .invalidReference(string, reason: "no transport given (a Docker Hub image needs a tag or docker://, e.g. \(string):latest)")
        }
    }

    /// Whether the part before the first slash reads as a registry host: a dot, `localhost`, or a numeric port.
    private static func namesRegistryHost(_ first: Substring) -> Bool {
        if first.contains(".") || first == "localhost" { return true }
        guard let colon = first.lastIndex(of: ":") else { return false }
        let port = first[first.index(after: colon)...]
        return !port.isEmpty && port.allSatisfy(\.isNumber)
    }

    public var description: String {
        switch self {
        case .oci(let path, let tag): return "oci:\(path)" + (tag.map { ":\($0)" } ?? "")
        case .ociArchive(let path, let tag): return "oci-archive:\(path)" + (tag.map { ":\($0)" } ?? "")
        case .dockerArchive(let path, let tag): return "docker-archive:\(path)" + (tag.map { ":\($0)" } ?? "")
        case .dir(let path): return "dir:\(path)"
        case .rootfs(let path): return "rootfs:\(path)"
        case .registry(let ref): return ref.description
        case .memory(let name): return "memory:\(name)"
        }
    }
}
