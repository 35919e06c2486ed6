import Foundation
import StrictYAML
import Yams

/// Accepted findings, each with the reason it is accepted (`distill check --ignore FILE`).
///
/// ```yaml
/// ignore:
///   - id: DI002              # or the rule's name, e.g. shell
///     path: /usr/bin/busybox # optional: only the finding at this path or field
///     reason: the debug variant keeps busybox on purpose
/// ```
public struct IgnoreList: Sendable, Hashable {
    /// One accepted finding (or every finding of a rule when `location` is nil).
    public struct Entry: Sendable, Hashable, Codable {
        public var rule: String
        public var location: String?
        public var reason: String

        public init(rule: String, location: String? = nil, reason: String) {
            self.rule = rule
            self.location = location
            self.reason = reason
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Reads an ignore file; unknown keys, unknown rules and missing reasons are errors at their line.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError.ignoreFile(file: path, line: nil, column: nil, reason: "cannot read the file")
        }
        try self.init(yaml: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses ignore-file YAML; `file` names it in errors.
    public init(yaml: String, file: String) throws {
        let reader = StrictYAMLReader(file: file)
        do {
            guard let root = try reader.compose(yaml) else {
                entries = []
                return
            }
            let top = try reader.mapping(root, "the ignore file", allowed: ["ignore"])
            var entries: [Entry] = []
            for (index, node) in try reader.sequence(top["ignore"] ?? Node("~"), "ignore").enumerated() {
                let context = "ignore[\(index)]"
                let fields = try reader.mapping(node, context, allowed: ["id", "path", "reason"])
                guard let idNode = fields["id"] else { throw reader.error(node, "\(context) has no id (a rule id such as DI002)") }
                let id = try reader.string(idNode, "\(context).id")
                guard CheckRule.all.contains(where: { $0.id == id || $0.name == id }) else {
                    throw reader.error(idNode, "unknown rule '\(id)' (rules: \(CheckRule.all.map(\.id).joined(separator: ", ")))")
                }
                guard let reasonNode = fields["reason"], case let reason = try reader.string(reasonNode, "\(context).reason"),
                    !reason.trimmingCharacters(in: .whitespaces).isEmpty
                else { throw reader.error(node, "\(context) has no reason; say why the finding is accepted") }
                let location = try fields["path"].map { try reader.string($0, "\(context).path") }
                entries.append(Entry(rule: id, location: location, reason: reason))
            }
            self.entries = entries
        } catch let problem as YAMLProblem {
            throw AuditError.ignoreFile(file: problem.file, line: problem.line, column: problem.column, reason: problem.reason)
        }
    }

    /// The entry that accepts `finding`, if any.
    public func entry(for finding: Finding) -> Entry? {
        entries.first { entry in
            (entry.rule == finding.ruleID || entry.rule == finding.rule) && (entry.location == nil || entry.location == finding.location)
        }
    }
}
