import HTTP

/// How registries are reached: which hosts may be plain http, which extra CA to trust, whose credentials to use,
/// and how blobs are uploaded. (How many blobs move at once is the copier's `maxConcurrentBlobs`.)
public struct RegistryOptions: Sendable {
    /// Hosts (`host` for any port, or `host:port`) reached over plain http; every other registry is https only.
    public var insecureHosts: Set<String>
    /// PEM files of CA certificates trusted besides the system's, for registries with a private CA.
    public var caCertificateFiles: [String]
    /// Where credentials are looked up.
    public var credentials: RegistryCredentialStore
    /// Blobs larger than this are sent in chunks of this size (PATCH with Content-Range); smaller ones in one PUT.
    /// Nil: always one PUT (fewest requests; the HTTP client streams the file either way).
    public var chunkSize: Int64?
    /// Times a whole blob transfer is started again after a broken connection, a failed upload session or a corrupt
    /// download, on top of the HTTP client's own retries of single requests.
    public var transferAttempts: Int
    /// Where the repositories known to hold each blob are remembered, so a push to a new repository mounts blobs the
    /// registry has elsewhere; nil: only the source repository of a registry-to-registry copy is tried.
    public var blobLocations: BlobLocations?

    /// Defaults: https everywhere, the system's CAs, the standard credential files, monolithic uploads, 3 attempts.
    public init(
        insecureHosts: Set<String> = [], caCertificateFiles: [String] = [], credentials: RegistryCredentialStore = RegistryCredentialStore(),
        chunkSize: Int64? = nil, transferAttempts: Int = 3, blobLocations: BlobLocations? = nil
    ) {
        self.insecureHosts = Set(insecureHosts.map { $0.lowercased() })
        self.caCertificateFiles = caCertificateFiles
        self.credentials = credentials
        self.chunkSize = chunkSize.map { max(1, $0) }
        self.transferAttempts = max(1, transferAttempts)
        self.blobLocations = blobLocations
    }

    /// Whether `host` (`host[:port]`) was named as insecure, by itself or with its port.
    public func isInsecure(_ host: String) -> Bool {
        let host = host.lowercased()
        if insecureHosts.contains(host) { return true }
        guard let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") else { return false }
        return insecureHosts.contains(String(host[..<colon]))
    }

    /// `http` for an insecure host, else `https`.
    public func scheme(for host: String) -> String { isInsecure(host) ? "http" : "https" }

    /// An HTTP session trusting ``caCertificateFiles`` besides the system's CAs (the shared one when there are none).
    public func makeHTTPClient() -> any HTTPClient {
        if caCertificateFiles.isEmpty { return HTTPSession.shared }
        return HTTPSession(options: HTTPOptions(additionalTrustRoots: caCertificateFiles))
    }
}
