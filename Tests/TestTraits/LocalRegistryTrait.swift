// Testing is on the module path only when tests are built; `swift build` (which builds every target) compiles
// this target to nothing.
#if canImport(Testing)
import TestSupport
import Testing

/// Starts one ``LocalRegistry`` for the whole suite it marks and stops it when the suite is done.
///
/// Its own target, apart from TestSupport: that one is linked into distill-bench, which must not link Testing.
public struct LocalRegistryTrait: SuiteTrait, TestScoping {
    public let mode: LocalRegistry.Mode

    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let registry = try LocalRegistry(mode)
        defer { registry.stop() }
        try await LocalRegistry.$current.withValue(registry) { try await function() }
    }
}

extension Trait where Self == LocalRegistryTrait {
    /// One registry in `mode` for the suite.
    public static func localRegistry(_ mode: LocalRegistry.Mode) -> Self { LocalRegistryTrait(mode: mode) }
}
#endif
