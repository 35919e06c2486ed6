import Synchronization

/// Opens `.registry` references for ``ImageReference/openSource()`` and ``ImageReference/openDestination()``.
///
/// The Registry target implements it, but it depends on this target (its source and destination are this target's
/// protocols), so this target cannot call it directly: the program installs one at start (the CLI does, with its
/// `--insecure-registry`, `--ca-cert` and credential flags), and every library that opens references (the builder's
/// outputs, the scanner's input) then reaches registries without knowing about them.
public protocol RegistryTransportProvider: Sendable {
    /// A source for `reference`; nothing is fetched until it is read.
    func source(for reference: RegistryReference) throws -> any ImageSource
    /// A destination for `reference`; nothing is sent until it is written.
    func destination(for reference: RegistryReference) throws -> any ImageDestination
}

/// The installed ``RegistryTransportProvider``.
public enum RegistryTransport {
    private static let installed = Mutex<(any RegistryTransportProvider)?>(nil)

    /// Makes `provider` open every `.registry` reference from now on (replacing any earlier one).
    public static func install(_ provider: any RegistryTransportProvider) {
        installed.withLock { $0 = provider }
    }

    /// The installed provider, or an error naming the reference when there is none.
    static func provider(for reference: ImageReference) throws(ImageTransportError) -> any RegistryTransportProvider {
        guard let provider = installed.withLock({ $0 }) else {
            throw .unsupportedTransport(reference.description, reason: "no registry transport is installed in this program (RegistryTransport.install)")
        }
        return provider
    }
}
