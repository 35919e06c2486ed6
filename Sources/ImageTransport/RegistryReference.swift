import ImageFormat

/// A registry image reference, `[docker://]HOST[:PORT]/REPO[:TAG][@DIGEST]`, with Docker Hub's short names
/// (`python:3.11-slim` is `docker.io/library/python:3.11-slim`), following distribution's reference grammar.
///
/// It lives here, not in the Registry target, because ``ImageReference`` must tell a registry reference from a
/// typo of a transport name while parsing, and the Registry target depends on this one.
public struct RegistryReference: Hashable, Sendable, CustomStringConvertible {
    /// Docker Hub's canonical name.
    public static let dockerHub = "docker.io"
    /// The host Docker Hub's API answers on.
    public static let dockerHubAPIHost = "registry-1.docker.io"

    /// The registry as named (`127.0.0.1:5000`, `ghcr.io`, `docker.io`), lowercased.
    public var registry: String
    /// The repository path (`app`, `library/python`, `org/team/app`).
    public var repository: String
    /// The tag, if one was given.
    public var tag: String?
    /// The digest, if one was given (it wins over the tag when fetching).
    public var digest: Digest?

    /// A reference from its parts, validated as parsing validates them.
    public init(registry: String, repository: String, tag: String? = nil, digest: Digest? = nil) throws(ImageTransportError) {
        let text = "\(registry)/\(repository)" + (tag.map { ":\($0)" } ?? "") + (digest.map { "@\($0)" } ?? "")
        guard Self.isValidHost(registry) else { throw .invalidReference(text, reason: "'\(registry)' is not a registry host[:port]") }
        try Self.validate(repository: repository, tag: tag, whole: text)
        self.registry = registry.lowercased()
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// Parses `string`; `docker://` may lead. Without a registry host (a first component with no `.` or `:` that is
    /// not `localhost`) the image is on Docker Hub, and a one-component name is under `library/`.
    public init(parsing string: String) throws(ImageTransportError) {
        var rest = Substring(string)
        if rest.hasPrefix("docker://") { rest = rest.dropFirst(9) }
        if rest.isEmpty { throw .invalidReference(string, reason: "the repository is empty") }
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            do {
                digest = try Digest(String(rest[rest.index(after: at)...]))
            } catch {
                throw .invalidReference(string, reason: "'\(rest[rest.index(after: at)...])' is not a digest (sha256:<64 hex>)")
            }
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var registry = Self.dockerHub
        var repository = String(rest)
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" {
                registry = String(first)
                repository = String(rest[rest.index(after: slash)...])
            }
        }
        if registry == "index.docker.io" { registry = Self.dockerHub }
        if registry == Self.dockerHub && !repository.contains("/") { repository = "library/" + repository }
        guard Self.isValidHost(registry) else {
            throw .invalidReference(string, reason: "'\(registry)' is not a registry host[:port]")
        }
        try Self.validate(repository: repository, tag: tag, whole: string)
        self.registry = registry.lowercased()
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// What to ask the registry for: the digest when there is one, else the tag (default `latest`).
    public var reference: String { digest?.description ?? tag ?? "latest" }

    /// The host the registry's API is reached on (Docker Hub's differs from its name).
    public var apiHost: String { registry == Self.dockerHub ? Self.dockerHubAPIHost : registry }

    /// `registry/repository[:tag][@digest]`.
    public var description: String {
        "\(registry)/\(repository)" + (tag.map { ":\($0)" } ?? "") + (digest.map { "@\($0)" } ?? "")
    }

    /// The same image named by `digest` (tag kept for messages).
    public func pinned(to digest: Digest) -> RegistryReference {
        var copy = self
        copy.digest = digest
        return copy
    }

    /// Whether `string` reads as a registry reference rather than an unknown transport (`oic:dir`): it has a
    /// registry host, or it is a Docker Hub name with a tag or digest (`python:3.11-slim`, `busybox@sha256:…`).
    public static func looksLikeRegistry(_ string: String) -> Bool {
        guard let parsed = try? RegistryReference(parsing: string) else { return false }
        if string.hasPrefix("docker://") { return true }
        if parsed.registry != dockerHub || string.hasPrefix("docker.io/") || string.hasPrefix("index.docker.io/") { return true }
        // A bare Docker Hub name: only with a tag or digest, so `app.tar` or `build` stay "no transport given".
        return parsed.tag != nil || parsed.digest != nil
    }

    private static func validate(repository: String, tag: String?, whole: String) throws(ImageTransportError) {
        if repository.isEmpty { throw .invalidReference(whole, reason: "the repository is empty") }
        if repository.utf8.count > 255 { throw .invalidReference(whole, reason: "the repository name is longer than 255 characters") }
        for component in repository.split(separator: "/", omittingEmptySubsequences: false) where !isValidComponent(component) {
            throw .invalidReference(
                whole, reason: "'\(component)' is not a repository name component (lowercase letters and digits, separated by . _ __ or -)")
        }
        if let tag, !isValidTag(tag) {
            throw .invalidReference(whole, reason: "'\(tag)' is not a tag (letters, digits, _ . -; at most 128; not starting with . or -)")
        }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        var i = 0
        while i < bytes.count {
            if alnum(bytes[i]) {
                i += 1
                continue
            }
            // A separator run: one '.', one or two '_', or any number of '-'.
            var j = i
            while j < bytes.count && !alnum(bytes[j]) { j += 1 }
            let run = bytes[i..<j]
            let ok = run == [46] || run == [95] || run == [95, 95] || run.allSatisfy { $0 == 45 }
            if !ok { return false }
            i = j
        }
        return true
    }

    /// Whether `tag` is a tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    public static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        func word(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 }
        guard let first = bytes.first, word(first), bytes.count <= 128 else { return false }
        return bytes.allSatisfy { word($0) || $0 == 46 || $0 == 45 }
    }

    /// `label(.label)*[:port]` with labels of letters, digits and inner hyphens, or `[ipv6][:port]`.
    static func isValidHost(_ host: String) -> Bool {
        var name = Substring(host)
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            let inner = name[name.index(after: name.startIndex)..<close]
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            name = name[name.index(after: close)...]
            if name.isEmpty { return true }
            guard name.hasPrefix(":") else { return false }
            return isValidPort(name.dropFirst())
        }
        if let colon = name.lastIndex(of: ":") {
            guard isValidPort(name[name.index(after: colon)...]) else { return false }
            name = name[..<colon]
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, first != "-", last != "-" else { return false }
            return label.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
        }
    }

    private static func isValidPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text) else { return false }
        return port > 0 && port <= 65535
    }
}
