import TestSupport
import Testing

/// Starts one ``LocalRegistry`` for the whole suite it marks and stops it when the suite is done.
struct LocalRegistryTrait: SuiteTrait, TestScoping {
    let mode: LocalRegistry.Mode

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let registry = try LocalRegistry(mode)
        defer { registry.stop() }
        try await LocalRegistry.$current.withValue(registry) { try await function() }
    }
}

extension Trait where Self == LocalRegistryTrait {
    /// One registry in `mode` for the suite.
    static func localRegistry(_ mode: LocalRegistry.Mode) -> Self { LocalRegistryTrait(mode: mode) }
}
