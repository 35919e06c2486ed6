import Foundation
import Yams

/// Strict, position-aware access to a YAML node: every unknown key and wrong type is an error at its line and column.
struct YAMLReader {
    let node: Node
    let file: String
    /// The dotted key path, for messages (`app[1].target`).
    let path: String

    static func parse(_ text: String, file: String) throws(BuildError) -> YAMLReader? {
        do {
            guard let node = try Yams.compose(yaml: text) else { return nil }
            return YAMLReader(node: node, file: file, path: "")
        } catch let error as YamlError {
            throw Self.describe(error, file: file, text: text)
        } catch {
            throw .unreadable(file: file, reason: "\(error)")
        }
    }

    private static func describe(_ error: YamlError, file: String, text: String) -> BuildError {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            // libyaml marks the mapping; point at the key's second appearance within it.
            let key = duplicates.sorted().first ?? ""
            var seen = 0
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where number + 1 >= context.mark.line {
                let trimmed = line.drop { $0 == " " || $0 == "-" }
                guard trimmed.hasPrefix(key + ":") || trimmed.hasPrefix("\"\(key)\":") else { continue }
                seen += 1
                if seen == 2 {
                    return .buildFile(file: file, line: number + 1, column: line.count - trimmed.count + 1, message: "duplicate key '\(key)'")
                }
            }
            return .buildFile(file: file, line: context.mark.line, column: context.mark.column, message: "duplicate key '\(key)'")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .buildFile(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(what)")
        default:
            return .unreadable(file: file, reason: "invalid YAML: \(error)")
        }
    }

    func error(_ message: String) -> BuildError {
        let mark = node.mark
        return .buildFile(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: (path.isEmpty ? "" : "\(path): ") + message)
    }

    private func kind() -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s): return s.string.isEmpty ? "empty" : "'\(s.string)'"
        case .alias: return "an alias"
        }
    }

    /// The mapping's entries in file order; keys outside `allowed` are errors naming the allowed ones.
    func mapping(allowed: [String]) throws(BuildError) -> [(key: String, value: YAMLReader)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(kind())") }
        var result: [(String, YAMLReader)] = []
        var seen = Set<String>()
        for (keyNode, valueNode) in mapping {
            let keyReader = YAMLReader(node: keyNode, file: file, path: path)
            guard let key = keyNode.scalar?.string else { throw keyReader.error("keys must be strings") }
            if !allowed.isEmpty && !allowed.contains(key) {
                throw keyReader.error("unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))")
            }
            if !seen.insert(key).inserted { throw keyReader.error("duplicate key '\(key)'") }
            result.append((key, YAMLReader(node: valueNode, file: file, path: path.isEmpty ? key : "\(path).\(key)")))
        }
        return result
    }

    /// A plain string (numbers and booleans are taken as written).
    func string() throws(BuildError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string, found \(kind())") }
        return scalar.string
    }

    /// A non-negative integer.
    func int() throws(BuildError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string), value >= 0 else {
            throw error("expected a whole number, found \(kind())")
        }
        return value
    }

    /// A boolean (`true`/`false`).
    func bool() throws(BuildError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false, found \(kind())") }
        return value
    }

    /// A list's items.
    func list() throws(BuildError) -> [YAMLReader] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kind())") }
        return sequence.enumerated().map { YAMLReader(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    /// A list of strings; a single string is accepted as a one-item list only when `single` is true.
    func strings(single: Bool = false) throws(BuildError) -> [String] {
        if single, case .scalar = node { return [try string()] }
        var result: [String] = []
        for item in try list() { result.append(try item.string()) }
        return result
    }

    /// A mapping of strings to strings.
    func stringMap() throws(BuildError) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in try mapping(allowed: []) { result[key] = try value.string() }
        return result
    }

    /// The value parsed by `parse`, or an error listing `expected`.
    func oneOf<T>(_ expected: [String], _ parse: (String) -> T?) throws(BuildError) -> T {
        let text = try string()
        guard let value = parse(text) else {
            throw error("'\(text)' is not valid here (expected one of: \(expected.joined(separator: ", ")))")
        }
        return value
    }
}
