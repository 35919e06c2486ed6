/// The text `db status` prints.
public enum DatabaseStatus {
    /// Path, record counts per ecosystem, newest record, sources.
    public static func render(_ store: VulnerabilityStore) throws(VulnerabilityError) -> String {
        guard let metadata = try store.metadata() else { return "database \(store.path)\nempty: run 'distill db update' or 'distill db import PATH…'" }
        var lines = ["database \(store.path)", "records  \(metadata.records)", "newest   \(metadata.newestModified ?? "-")", "updated  \(metadata.updatedAt)"]
        for (ecosystem, count) in metadata.counts.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(ecosystem.padding(toLength: 16, withPad: " ", startingAt: 0)) \(count)")
        }
        lines.append("sources")
        for source in metadata.sources {
            lines.append("  \(source.key)  \(source.records) records, imported \(source.importedAt)\(source.sha256.map { ", sha256 \($0.prefix(12))" } ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
