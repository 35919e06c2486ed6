import Foundation
import Yams

/// Strict typed access to a composed YAML tree: every error names the file, line and column.
struct YAMLReader {
    /// The file being read, for messages.
    let file: String

    func error(_ node: Node?, _ reason: String) -> RuntimeError {
        .testFileInvalid(file: file, line: node?.mark?.line, column: node?.mark?.column, reason: reason)
    }

    /// Parses `text` into its root node; YAML syntax errors keep libyaml's position.
    func compose(_ text: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let yamlError as YamlError {
            switch yamlError {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                 .composer(_, let problem, let mark, _):
                throw RuntimeError.testFileInvalid(file: file, line: mark.line, column: mark.column, reason: problem)
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
                throw RuntimeError.testFileInvalid(
                    file: file, line: context.mark.line, column: context.mark.column,
                    reason: "duplicate key \(keys) in this mapping")
            default:
                throw RuntimeError.testFileInvalid(file: file, line: nil, column: nil, reason: "\(yamlError)")
            }
        }
    }

    /// True for an explicit or empty null (`key:` with nothing after it).
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && node.null != nil
    }

    /// The entries of a mapping, refusing keys outside `allowed` and duplicates.
    func mapping(_ node: Node, _ context: String, allowed: [String]) throws -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw error(node, "\(context) must be a mapping") }
        var entries: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw error(keyNode, "\(context) has a non-string key") }
            guard allowed.contains(key) else {
                throw error(keyNode, "unknown key '\(key)' in \(context) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard entries[key] == nil else { throw error(keyNode, "duplicate key '\(key)' in \(context)") }
            entries[key] = value
        }
        return entries
    }

    /// A scalar as text (numbers and booleans are taken as written).
    func string(_ node: Node, _ context: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "\(context) must be a string") }
        return scalar.string
    }

    func bool(_ node: Node, _ context: String) throws -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error(node, "\(context) must be true or false") }
        return value
    }

    func int(_ node: Node, _ context: String) throws -> Int {
        guard case .scalar = node, let value = node.int else { throw error(node, "\(context) must be an integer") }
        return value
    }

    /// A sequence's items; null means empty.
    func sequence(_ node: Node, _ context: String) throws -> [Node] {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else { throw error(node, "\(context) must be a list") }
        return Array(sequence)
    }

    /// A list of strings; null means empty.
    func strings(_ node: Node, _ context: String) throws -> [String] {
        try sequence(node, context).enumerated().map { index, item in try string(item, "\(context)[\(index)]") }
    }
}
