import Foundation

/// `db update`: fetches each ecosystem's `all.zip` from an OSV bucket and imports what changed.
///
/// A zip the server reports unchanged (ETag / Last-Modified) is not downloaded again; one whose bytes hash
/// as before is not imported again; each ecosystem is imported in its own transaction.
public struct DatabaseUpdater {
    /// The OSV project's public bucket.
    public static let defaultBaseURL = "https://osv-vulnerabilities.storage.googleapis.com"
    /// The ecosystems distill matches.
    public static let defaultEcosystems = ["Debian", "PyPI", "Go"]

    public var baseURL: String
    public var ecosystems: [String]
    public var downloader = OSVDownloader()
    /// Called with a line of progress per ecosystem.
    public var log: ((String) -> Void)?

    public init(baseURL: String = Self.defaultBaseURL, ecosystems: [String] = Self.defaultEcosystems) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.ecosystems = ecosystems
    }

    /// What happened to one ecosystem.
    public enum Outcome: Sendable, Equatable {
        case notModified
        case unchanged
        case imported(ImportReport.SourceOutcome)
    }

    /// Updates `store`, returning each ecosystem's outcome in order.
    public func update(_ store: VulnerabilityStore) async throws -> [(ecosystem: String, outcome: Outcome)] {
        var outcomes: [(String, Outcome)] = []
        let directory = (store.path as NSString).deletingLastPathComponent
        for ecosystem in ecosystems {
            let encoded = ecosystem.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? ecosystem
            let url = "\(baseURL)/\(encoded)/all.zip"
            let previous = try store.source(url)
            let scratch = directory + "/.\(ecosystem.replacingOccurrences(of: "/", with: "_"))-all.zip.download-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            log?("\(ecosystem): checking \(url)…")
            switch try await downloader.fetch(url, to: scratch, etag: previous?.etag, lastModified: previous?.lastModified) {
            case .notModified:
                log?("\(ecosystem): not modified since the last update")
                outcomes.append((ecosystem, .notModified))
            case .downloaded(let file, let etag, let lastModified):
                let files = try RecordFiles(path: file)
                let report = try OSVImporter(store: store).importSources([
                    (files, url, OSVImporter.Validators(etag: etag, lastModified: lastModified))
                ])
                guard let source = report.sources.first else { continue }
                if source.skipped {
                    log?("\(ecosystem): unchanged (same zip)")
                    outcomes.append((ecosystem, .unchanged))
                } else {
                    log?("\(ecosystem): \(source.added) added, \(source.changed) changed, \(source.removed) removed, \(source.unchanged) unchanged")
                    outcomes.append((ecosystem, .imported(source)))
                }
            }
        }
        return outcomes
    }
}
