import Foundation
import ImageFormat

/// One image of a comparison: what `inspect`, `sbom`, `scan` and `check` say of it, as figures.
public struct ImageComparison: Codable, Hashable, Sendable {
    /// The operating system, from the image's os-release.
    public struct OperatingSystem: Codable, Hashable, Sendable {
        /// `ID` (`debian`).
        public var id: String
        /// `VERSION_ID` (`12`).
        public var versionID: String?
        /// `PRETTY_NAME` (`Distroless`, `Debian GNU/Linux 12 (bookworm)`).
        public var prettyName: String?

        public init(id: String, versionID: String?, prettyName: String?) {
            self.id = id
            self.versionID = versionID
            self.prettyName = prettyName
        }
    }

    /// A language runtime found in the image.
    public struct Runtime: Codable, Hashable, Sendable {
        /// `Python`, `Go`, `Node.js`, `Java`, `Ruby`.
        public var name: String
        /// The upstream version (`3.11.2`).
        public var version: String
        /// What it was read from: a package and its version (`python3.11 3.11.2-6+deb12u8`), an environment variable, a path.
        public var source: String

        public init(name: String, version: String, source: String) {
            self.name = name
            self.version = version
            self.source = source
        }
    }

    /// Vulnerabilities by severity, as `scan` counts them (also used for differences, which may be negative).
    public struct Vulnerabilities: Codable, Hashable, Sendable {
        public var critical: Int
        public var high: Int
        public var medium: Int
        public var low: Int
        public var unknown: Int
        public var total: Int

        public init(critical: Int, high: Int, medium: Int, low: Int, unknown: Int, total: Int) {
            self.critical = critical
            self.high = high
            self.medium = medium
            self.low = low
            self.unknown = unknown
            self.total = total
        }
    }

    /// The hardening check, in brief.
    public struct Hardening: Codable, Hashable, Sendable {
        /// Rules with no finding, and rules with at least one (ignored findings do not count).
        public var rulesPassed: Int
        public var rulesFailed: Int
        /// Findings by level.
        public var errors: Int
        public var warnings: Int
        public var notes: Int
        /// Findings an ignore file accepted.
        public var ignored: Int
        /// Ids of the rules that failed (`DI002`), in id order.
        public var failedRules: [String]
        /// A debug image (busybox shell under /busybox): never the one to ship.
        public var notForProduction: Bool

        public init(
            rulesPassed: Int, rulesFailed: Int, errors: Int, warnings: Int, notes: Int, ignored: Int, failedRules: [String],
            notForProduction: Bool
        ) {
            self.rulesPassed = rulesPassed
            self.rulesFailed = rulesFailed
            self.errors = errors
            self.warnings = warnings
            self.notes = notes
            self.ignored = ignored
            self.failedRules = failedRules
            self.notForProduction = notForProduction
        }

        /// Whether no rule failed.
        public var passed: Bool { rulesFailed == 0 }
    }

    /// The build, when distill built the image and left its record beside it.
    public struct Build: Codable, Hashable, Sendable {
        public var seconds: Double
        /// When it finished (RFC 3339).
        public var finished: String
        /// The build file's variant, if any.
        public var variant: String?

        public init(seconds: Double, finished: String, variant: String?) {
            self.seconds = seconds
            self.finished = finished
            self.variant = variant
        }
    }

    /// The image reference as given (`oci:build/app:latest`).
    public var reference: String
    /// The short name shown in tables (`--names`, else from the reference).
    public var name: String
    /// The single-platform manifest's digest.
    public var digest: Digest
    public var architecture: String
    /// Bytes of the layer blobs as stored and pulled.
    public var compressedSize: Int64
    /// Bytes of the layers' tar streams once decompressed (what the build summary calls unpacked).
    public var unpackedSize: Int64
    /// Bytes of regular files in the final file system.
    public var fileBytes: Int64
    public var layers: Int
    /// Debian and Alpine packages.
    public var osPackages: Int
    /// Python distributions and Go modules.
    public var languagePackages: Int
    public var os: OperatingSystem?
    public var runtimes: [Runtime]
    /// Absent when there is no vulnerability database.
    public var vulnerabilities: Vulnerabilities?
    public var hardening: Hardening
    /// Absent unless distill built the image and its build record is beside it.
    public var build: Build?
    /// Each figure against the first image's; absent for the first image.
    public var relativeToFirst: RelativeFigures?

    public init(
        reference: String, name: String, digest: Digest, architecture: String, compressedSize: Int64, unpackedSize: Int64,
        fileBytes: Int64, layers: Int, osPackages: Int, languagePackages: Int, os: OperatingSystem?, runtimes: [Runtime],
        vulnerabilities: Vulnerabilities?, hardening: Hardening, build: Build?, relativeToFirst: RelativeFigures? = nil
    ) {
        self.reference = reference
        self.name = name
        self.digest = digest
        self.architecture = architecture
        self.compressedSize = compressedSize
        self.unpackedSize = unpackedSize
        self.fileBytes = fileBytes
        self.layers = layers
        self.osPackages = osPackages
        self.languagePackages = languagePackages
        self.os = os
        self.runtimes = runtimes
        self.vulnerabilities = vulnerabilities
        self.hardening = hardening
        self.build = build
        self.relativeToFirst = relativeToFirst
    }
}

/// An image's figures against the first image's: percentages for sizes, differences for counts.
public struct RelativeFigures: Codable, Hashable, Sendable {
    /// Percent change (−67 is 67 % smaller); absent when the first image's size is 0.
    public var compressedSizePercent: Double?
    public var unpackedSizePercent: Double?
    public var layers: Int
    public var osPackages: Int
    public var languagePackages: Int
    /// Differences per severity; absent without a database.
    public var vulnerabilities: ImageComparison.Vulnerabilities?
    /// Difference in build seconds; absent unless both builds are known.
    public var buildSeconds: Double?

    public init(
        compressedSizePercent: Double?, unpackedSizePercent: Double?, layers: Int, osPackages: Int, languagePackages: Int,
        vulnerabilities: ImageComparison.Vulnerabilities?, buildSeconds: Double?
    ) {
        self.compressedSizePercent = compressedSizePercent
        self.unpackedSizePercent = unpackedSizePercent
        self.layers = layers
        self.osPackages = osPackages
        self.languagePackages = languagePackages
        self.vulnerabilities = vulnerabilities
        self.buildSeconds = buildSeconds
    }

    /// `image`'s figures against `first`'s.
    public init(_ image: ImageComparison, against first: ImageComparison) {
        func percent(_ value: Int64, _ base: Int64) -> Double? { base == 0 ? nil : Double(value - base) * 100 / Double(base) }
        var vulnerabilities: ImageComparison.Vulnerabilities?
        if let a = image.vulnerabilities, let b = first.vulnerabilities {
            vulnerabilities = .init(
                critical: a.critical - b.critical, high: a.high - b.high, medium: a.medium - b.medium, low: a.low - b.low,
                unknown: a.unknown - b.unknown, total: a.total - b.total)
        }
        var seconds: Double?
        if let a = image.build?.seconds, let b = first.build?.seconds { seconds = a - b }
        self.init(
            compressedSizePercent: percent(image.compressedSize, first.compressedSize),
            unpackedSizePercent: percent(image.unpackedSize, first.unpackedSize), layers: image.layers - first.layers,
            osPackages: image.osPackages - first.osPackages, languagePackages: image.languagePackages - first.languagePackages,
            vulnerabilities: vulnerabilities, buildSeconds: seconds)
    }
}
