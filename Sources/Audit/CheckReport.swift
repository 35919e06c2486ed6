import Foundation
import ImageFormat
import ImageTransport
import SBOM

/// The outcome of `distill check`: findings, and those an ignore file accepted with their reasons.
public struct CheckReport: Codable, Hashable, Sendable {
    /// A finding accepted by the ignore file.
    public struct Ignored: Codable, Hashable, Sendable {
        public var finding: Finding
        public var reason: String
    }

    public var reference: String
    public var digest: Digest
    public var findings: [Finding]
    public var ignored: [Ignored]

    /// Whether anything was found that is not ignored.
    public var passed: Bool { findings.isEmpty }

    /// A debug image (busybox shell under /busybox), even when an ignore file accepts the finding.
    public var notForProduction: Bool {
        (findings + ignored.map(\.finding)).contains { $0.ruleID == CheckRule.debugImage.id }
    }
}

/// Runs the hardening rules over an image in one streaming pass.
public enum HardeningCheck {
    /// Checks `platform`'s image from `source`; findings accepted by `ignore` are reported apart.
    public static func run(_ source: ImageSource, platform: Platform? = nil, ignore: IgnoreList = IgnoreList()) async throws -> CheckReport {
        let observation = Observation()
        let files = try await ImageReader.read(source, platform: platform, observers: observation.observers)
        return observation.report(for: files, ignore: ignore)
    }

    /// What the rules need to see of one pass over an image: account files and secrets. Pass ``observers`` to
    /// ``ImageReader/read(_:platform:observers:)`` (beside others: `compare` reads an image once), then ask for the report.
    public final class Observation {
        private let collector = FileCollector(limit: 4 << 20) { ["etc/passwd", "etc/group", "etc/shadow"].contains($0) }
        private let secrets = SecretScanner()

        public init() {}

        /// The observers to read the image with.
        public var observers: [LayerObserver] { [collector, secrets] }

        /// The report for the image read as `files`; findings accepted by `ignore` are reported apart.
        public func report(for files: ImageFiles, ignore: IgnoreList = IgnoreList()) -> CheckReport {
            let collected = collector.files(in: files.tree)
            let accounts = Accounts(
                passwd: collected["etc/passwd"]?.data, group: collected["etc/group"]?.data, shadow: collected["etc/shadow"]?.data)
            var all = ConfigRules.evaluate(files.image.configuration.config, tree: files.tree, accounts: accounts)
            all += FileRules.evaluate(tree: files.tree, secrets: secrets.secrets(in: files.tree), accounts: accounts)
            all.sort { ($0.ruleID, $0.location, $0.message) < ($1.ruleID, $1.location, $1.message) }
            var findings: [Finding] = []
            var ignored: [CheckReport.Ignored] = []
            for finding in all {
                if let entry = ignore.entry(for: finding) {
                    ignored.append(CheckReport.Ignored(finding: finding, reason: entry.reason))
                } else {
                    findings.append(finding)
                }
            }
            return CheckReport(reference: files.reference, digest: files.image.manifestDescriptor.digest, findings: findings, ignored: ignored)
        }
    }
}
