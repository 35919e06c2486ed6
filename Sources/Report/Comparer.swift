import Audit
import Foundation
import ImageBuild
import ImageFormat
import ImageTransport
import SBOM
import Vulnerabilities

/// Measures images for `distill compare` with the code `inspect`, `sbom`, `check` and `scan` run, so every
/// figure is the one those commands print; each image is read once, with all their observers on the one pass.
public struct Comparer: Sendable {
    /// The vulnerability database; without one, images have no vulnerability counts.
    public var databasePath: String
    /// The platform to read from multi-platform images (nil: the only one, else the host's).
    public var platform: Platform?
    /// `distill 0.1.0`, for the report.
    public var tool: String

    public init(databasePath: String, platform: Platform? = nil, tool: String) {
        self.databasePath = databasePath
        self.platform = platform
        self.tool = tool
    }

    /// One name per image from `--names a,b,c`, else each reference's short name (`oci:build/app` → `app`).
    public static func names(_ list: String?, for references: [ImageReference]) throws(ReportError) -> [String] {
        guard let list else { return references.map { ImageName.of($0) } }
        let names = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.count == references.count, !names.contains(where: \.isEmpty) else {
            throw .names(given: names.filter { !$0.isEmpty }.count, images: references.count)
        }
        return names
    }

    /// Compares `images` (reference and name), in the order given: the first is what the others are measured against.
    public func compare(_ images: [(reference: ImageReference, name: String)]) async throws -> ComparisonReport {
        guard !images.isEmpty else { throw ReportError.noImages }
        let database = try databaseState()
        var rows: [ImageComparison] = []
        for image in images { rows.append(try await measure(image.reference, name: image.name, database: database)) }
        return ComparisonReport(images: rows, database: database, tool: tool)
    }

    /// Whether the database exists and holds records (a file left by an import that never committed does not).
    func databaseState() throws -> ComparisonReport.Database {
        guard FileManager.default.fileExists(atPath: databasePath) else { return .init(path: databasePath, present: false) }
        let metadata = try VulnerabilityStore(path: databasePath, readOnly: true).metadata()
        return .init(path: databasePath, present: metadata != nil)
    }

    /// One image's figures.
    func measure(_ reference: ImageReference, name: String, database: ComparisonReport.Database) async throws -> ImageComparison {
        let source = try reference.openSource()
        defer { source.close() }
        let dive = DiveEfficiency()
        let packages = PackageObserver()
        let check = HardeningCheck.Observation()
        let files = try await ImageReader.read(source, platform: platform, observers: [dive, packages] + check.observers)
        let inspection = Inspector.inspection(of: files, dive: dive)
        let catalog = ImageCatalog(files: files, observer: packages, name: name)
        let report = check.report(for: files)
        var vulnerabilities: ImageComparison.Vulnerabilities?
        if database.present {
            let subject = ImagePackageReader.subject(reference: reference.description, catalog: catalog)
            vulnerabilities = Self.counts(try ScanSession(databasePath: database.path).report(for: subject))
        }
        let build = BuildRecord.find(for: reference, digest: inspection.digest, config: files.image.manifest.config.digest)
        return ImageComparison(
            reference: reference.description, name: name, digest: inspection.digest, architecture: inspection.configuration.architecture,
            compressedSize: inspection.compressedSize, unpackedSize: inspection.layers.reduce(0) { $0 + $1.uncompressedSize },
            fileBytes: inspection.fileSystemSize, layers: inspection.layers.count,
            osPackages: catalog.packages.filter { $0.ecosystem == .debian || $0.ecosystem == .alpine }.count,
            languagePackages: catalog.packages.filter { $0.ecosystem == .python || $0.ecosystem == .go }.count,
            os: catalog.distribution.map { .init(id: $0.id, versionID: $0.versionID, prettyName: $0.prettyName) },
            runtimes: RuntimeVersions.detect(packages: catalog.packages, env: inspection.configuration.env ?? [], tree: files.tree),
            vulnerabilities: vulnerabilities, hardening: Self.hardening(report),
            build: build.map { .init(seconds: $0.seconds, finished: $0.finished, variant: $0.variant) })
    }

    /// The counts `scan`'s summary line prints (`Total: N (CRITICAL: a, …)`).
    static func counts(_ report: ScanReport) -> ImageComparison.Vulnerabilities {
        let counts = report.counts
        return .init(
            critical: counts[.critical] ?? 0, high: counts[.high] ?? 0, medium: counts[.medium] ?? 0, low: counts[.low] ?? 0,
            unknown: counts[.unknown] ?? 0, total: report.findings.count)
    }

    /// `check`'s report in brief: rules passed and failed, findings by level.
    static func hardening(_ report: CheckReport) -> ImageComparison.Hardening {
        let failed = Set(report.findings.map(\.ruleID)).sorted()
        return .init(
            rulesPassed: CheckRule.all.count - failed.count, rulesFailed: failed.count,
            errors: report.findings.filter { $0.level == .error }.count, warnings: report.findings.filter { $0.level == .warning }.count,
            notes: report.findings.filter { $0.level == .note }.count, ignored: report.ignored.count, failedRules: failed,
            notForProduction: report.notForProduction)
    }
}
