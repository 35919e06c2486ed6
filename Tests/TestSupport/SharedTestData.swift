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

    /// Debian packages the frozen slice lacks (busybox-static, for debug variants), fetched by `scripts/install-deps.sh test`
    /// and checked there against the slice's signed index.
    public static var debianExtra: URL { packageRoot.appendingPathComponent(".testdata/debian-extra") }

    /// The frozen mirror with ``debianExtra``'s pool beside it, as symlinks in `directory` (nothing copied).
    public static func debianMirrorWithExtras(in directory: TemporaryDirectory) throws -> URL {
        guard FileManager.default.fileExists(atPath: debianExtra.path + "/pool") else {
            throw FixtureError("\(debianExtra.path)/pool is missing: run scripts/install-deps.sh test (it fetches busybox-static)")
        }
        try SymlinkTree.make(of: debianMirror, at: directory.url)
        try SymlinkTree.make(of: debianExtra, at: directory.url)
        return directory.url
    }

    /// A path below `testdata`.
    public static func path(_ relative: String) -> String { testdata.appendingPathComponent(relative).path }
}
