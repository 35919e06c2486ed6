import HTTP
import ImageTransport
import Synchronization

/// The registry transport the CLI installs: one ``RegistryClient`` per registry (so a copy within one registry shares
/// its tokens), all with the same ``RegistryOptions``.
public final class RegistryOpener: RegistryTransportProvider {
    /// Insecure hosts, CA, credentials for every registry opened.
    public let options: RegistryOptions
    private let injected: (any HTTPClient)?
    /// The HTTP client, made with the first registry client: a command that opens no registry starts no network threads.
    private let clients = Mutex<(http: (any HTTPClient)?, byRegistry: [String: RegistryClient])>((nil, [:]))

    /// An opener with `options`; `http` defaults to one trusting `options.caCertificateFiles` besides the system's CAs.
    public init(options: RegistryOptions = RegistryOptions(), http: (any HTTPClient)? = nil) {
        self.options = options
        injected = http
    }

    /// Installs an opener with `options` for every `.registry` reference (``RegistryTransport/install(_:)``).
    public static func install(options: RegistryOptions = RegistryOptions()) {
        RegistryTransport.install(RegistryOpener(options: options))
    }

    /// The client for `registry`, made once.
    public func client(for registry: String) -> RegistryClient {
        clients.withLock { clients in
            if let client = clients.byRegistry[registry] { return client }
            let http = clients.http ?? injected ?? options.makeHTTPClient()
            clients.http = http
            let client = RegistryClient(registry: registry, options: options, http: http)
            clients.byRegistry[registry] = client
            return client
        }
    }

    public func source(for reference: RegistryReference) throws -> any ImageSource {
        RegistrySource(reference, client: client(for: reference.registry))
    }

    public func destination(for reference: RegistryReference) throws -> any ImageDestination {
        RegistryDestination(reference, client: client(for: reference.registry))
    }
}
