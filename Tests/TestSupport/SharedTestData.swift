import Foundation

/// Locates `../shared` (the frozen test data beside the package) from this source file's path.
public enum SharedTestData {
    /// The package root (the directory holding Package.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/testdata`; override with `DISTILL_SHARED_TESTDATA`.
    public static let testdata: URL = {
        if let override = ProcessInfo.processInfo.environment["DISTILL_SHARED_TESTDATA"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/testdata")
    }()

    /// The frozen, signed Debian mirror slice.
    public static var debianMirror: URL { testdata.appendingPathComponent("debian-mirror") }

    /// A path below `testdata`.
    public static func path(_ relative: String) -> String { testdata.appendingPathComponent(relative).path }
}
