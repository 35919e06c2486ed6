import Foundation

/// One package and layer cache for every build a test process makes from the frozen mirror, so a preset one
/// suite built is warm for the next (the layer cache is keyed by content, never by who asked).
public enum SharedBuildCache {
    /// Created once per process, removed when it exits.
    public static let directory: TemporaryDirectory = {
        do {
            return try TemporaryDirectory("build-cache")
        } catch {
            fatalError("cannot create the shared build cache: \(error)")
        }
    }()
}
