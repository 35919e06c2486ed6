import Foundation
import TestSupport
import Vulnerabilities

/// Shared test data and helpers for the vulnerability tests.
enum VulnFixtures {
    /// `../shared/testdata/vuln/osv` (PyPI/ and Debian/ records).
    static var osvFolder: String { SharedTestData.path("vuln/osv") }

    /// A database holding every real OSV record of the shared test data, imported once per test process.
    static let shared: (directory: TemporaryDirectory, path: String) = {
        let directory = try! TemporaryDirectory("vulndb-shared")
        let store = try! VulnerabilityStore(path: directory("vuln.db"))
        _ = try! OSVImporter(store: store).importPaths([osvFolder])
        return (directory, store.path)
    }()

    /// A private copy of ``shared`` in `directory`, for tests that change it.
    static func database(in directory: TemporaryDirectory) throws -> VulnerabilityStore {
        try FileManager.default.copyItem(atPath: shared.path, toPath: directory("vuln.db"))
        return try VulnerabilityStore(path: directory("vuln.db"))
    }

    /// The real records, decoded, by id.
    static let records: [String: OSVRecord] = {
        var out: [String: OSVRecord] = [:]
        for ecosystem in ["Debian", "PyPI"] {
            let folder = osvFolder + "/" + ecosystem
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".json") {
                if let data = FileManager.default.contents(atPath: folder + "/" + name),
                    let record = try? JSONDecoder().decode(OSVRecord.self, from: data)
                {
                    out[record.id] = record
                }
            }
        }
        return out
    }()

    /// The `distill` executable built beside the test bundle.
    static var distillBinary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("distill").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return SharedTestData.packageRoot.appendingPathComponent(".build/debug/distill").path
    }

    /// Zips `folder`'s JSON files flat into `zip` (python's zipfile, as OSV's all.zip is laid out).
    static func zip(_ folder: String, to zip: String) throws {
        try Tool.check([
            "python3", "-c",
            """
            import os, sys, zipfile
            with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
                for root, _, files in os.walk(sys.argv[1]):
                    for f in sorted(files):
                        if f.endswith(".json"):
                            z.write(os.path.join(root, f), f)
            """, folder, zip,
        ])
    }

    /// Runs python3 with `script` and `arguments`, returning stdout; throws with stderr on failure.
    static func python(_ script: String, _ arguments: [String] = []) throws -> String {
        try Tool.check(["python3", "-c", script] + arguments)
    }
}
