import Foundation

/// How `distill compare` writes its report.
public enum ComparisonFormat: String, Sendable, CaseIterable {
    /// A table for a terminal.
    case table
    /// The report as JSON (``ComparisonReport``), for scripts.
    case json
    /// A table for a README or a pull-request comment.
    case markdown
    /// One self-contained page with bar charts, readable offline and printable.
    case html

    /// Parses a format name as the command line gives it.
    public init(name: String) throws(ReportError) {
        guard let format = ComparisonFormat(rawValue: name.lowercased()) else {
            throw .unknownFormat(name, expected: Self.allCases.map(\.rawValue))
        }
        self = format
    }

    /// The report in this format, ending in a newline.
    public func render(_ report: ComparisonReport) throws(ReportError) -> Data {
        switch self {
        case .table: return Data(ComparisonTable.render(report).utf8)
        case .json: return try Self.json(report)
        case .markdown: return Data(ComparisonMarkdown.render(report).utf8)
        case .html: return Data(ComparisonHTML.render(report).utf8)
        }
    }

    /// Pretty, key-sorted JSON with a final newline.
    static func json(_ report: ComparisonReport) throws(ReportError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return try encoder.encode(report) + Data("\n".utf8)
        } catch {
            throw .output(path: "the JSON report", reason: "\(error)")
        }
    }

    /// Reads a report written as JSON.
    public static func decode(_ data: Data) throws(ReportError) -> ComparisonReport {
        do {
            return try JSONDecoder().decode(ComparisonReport.self, from: data)
        } catch {
            throw .malformed(reason: "\(error)")
        }
    }
}
