import Debian
import Foundation
import ImageFormat
import SBOM

/// The output formats of `scan`.
public enum ScanFormat: String, Sendable, CaseIterable {
    case table, json, sarif
}

/// Everything `distill scan` (and `build --scan`) needs, so the command itself holds no logic.
public struct ScanSession {
    public var databasePath: String
    public var format: ScanFormat = .table
    /// Only these severities (e.g. `CRITICAL,HIGH`); empty for all.
    public var severities: Set<Severity> = []
    public var ignoreUnfixed = false
    public var ignoreFilePath: String?
    public var showSuppressed = false
    public var toolVersion = "0.0.0"
    /// Where image catalogs are kept between scans (nil: every scan reads the image's layers).
    public var catalogCache: CatalogCache?

    public init(databasePath: String, catalogCache: CatalogCache? = nil) {
        self.databasePath = databasePath
        self.catalogCache = catalogCache
    }

    /// `$XDG_CACHE_HOME/distill/catalogs`, else `~/.cache/distill/catalogs`.
    public static func defaultCatalogCache(environment: [String: String] = ProcessInfo.processInfo.environment) -> CatalogCache {
        CatalogCache.standard(environment: environment)
    }

    /// Parses a `--severity` list such as `CRITICAL,HIGH`.
    public static func severities(_ list: String) throws(VulnerabilityError) -> Set<Severity> {
        var out: Set<Severity> = []
        for word in list.split(separator: ",") {
            let name = word.trimmingCharacters(in: .whitespaces).uppercased()
            guard let severity = Severity(rawValue: name) else {
                throw .invalidOption(option: "--severity", value: String(word), expected: "CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN")
            }
            out.insert(severity)
        }
        return out
    }

    /// Scans `target` (an image reference or SBOM file) and returns the filtered report.
    public func report(for target: String, platform: Platform? = nil) async throws -> ScanReport {
        let subject = try await ScanInput.read(target, platform: platform, cache: catalogCache)
        return try report(for: subject)
    }

    /// Scans an already-read subject.
    public func report(for subject: ScanSubject) throws -> ScanReport {
        let store = try VulnerabilityStore(path: databasePath, readOnly: true)
        let outcome = try VulnerabilityScanner(store: store).scan(subject)
        var filter = ScanReport.Filter()
        filter.severities = severities
        filter.ignoreUnfixed = ignoreUnfixed
        filter.ignoreFile = try ignoreFilePath.map { path throws(VulnerabilityError) in try IgnoreFile.load(path) }
        return ScanReport(subject: subject, outcome: outcome, filter: filter)
    }

    /// The report in the chosen format.
    public func render(_ report: ScanReport) throws -> String {
        switch format {
        case .table:
            return TableRenderer.render(report, showSuppressed: showSuppressed)
        case .json:
            return String(decoding: try TrivyReport(report, showSuppressed: showSuppressed, createdAt: OSVImporter.now()).encoded(), as: UTF8.self)
        case .sarif:
            return String(decoding: try SARIFLog(report, toolVersion: toolVersion, showSuppressed: showSuppressed).encoded(), as: UTF8.self)
        }
    }
}

extension ScanSession {
    /// `build --scan`: the report for each architecture of the image just written at `reference`, or nil when
    /// there is no database yet (the build does not fail for that).
    public func reportsAfterBuild(reference: String, architectures: [String]) async throws -> [ScanReport]? {
        guard FileManager.default.fileExists(atPath: databasePath) else { return nil }
        var reports: [ScanReport] = []
        for architecture in architectures {
            reports.append(try await report(for: reference, platform: architectures.count > 1 ? Platform(architecture: architecture) : nil))
        }
        return reports
    }
}
