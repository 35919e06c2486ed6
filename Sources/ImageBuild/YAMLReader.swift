import Foundation
import StrictYAML
import Yams

/// A position in the build file with its key path (`app[1].target`), read through ``StrictYAMLReader``;
/// every problem becomes a ``BuildError`` at its line and column.
struct YAMLReader {
    let node: Node
    let file: String
    /// The dotted key path, for messages.
    let path: String

    private var strict: StrictYAMLReader { StrictYAMLReader(file: file) }
    private var context: String { path.isEmpty ? "the build file" : path }

    static func parse(_ text: String, file: String) throws(BuildError) -> YAMLReader? {
        guard let node = try wrap({ () throws(YAMLProblem) in try StrictYAMLReader(file: file).compose(text) }) else { return nil }
        return YAMLReader(node: node, file: file, path: "")
    }

    private static func wrap<T>(_ body: () throws(YAMLProblem) -> T) throws(BuildError) -> T {
        do {
            return try body()
        } catch {
            throw .buildFile(file: error.file, line: error.line ?? 1, column: error.column ?? 1, message: error.reason)
        }
    }

    /// A problem at this node, prefixed with its key path.
    func error(_ message: String) -> BuildError {
        .buildFile(
            file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
            message: (path.isEmpty ? "" : "\(path): ") + message)
    }

    private func child(_ node: Node, _ path: String) -> YAMLReader { YAMLReader(node: node, file: file, path: path) }

    /// The mapping's entries in file order; keys outside `allowed` (unless empty) are errors naming the allowed ones.
    func mapping(allowed: [String]) throws(BuildError) -> [(key: String, value: YAMLReader)] {
        try Self.wrap { () throws(YAMLProblem) in
            try strict.orderedMapping(node, context, allowed: allowed).map { ($0.key, child($0.value, path.isEmpty ? $0.key : "\(path).\($0.key)")) }
        }
    }

    /// A plain string (numbers and booleans are taken as written).
    func string() throws(BuildError) -> String { try Self.wrap { () throws(YAMLProblem) in try strict.string(node, context) } }

    /// A non-negative integer.
    func int() throws(BuildError) -> Int {
        let value = try Self.wrap { () throws(YAMLProblem) in try strict.int(node, context) }
        if value < 0 { throw error("must not be negative") }
        return value
    }

    /// A boolean (`true`/`false`).
    func bool() throws(BuildError) -> Bool { try Self.wrap { () throws(YAMLProblem) in try strict.bool(node, context) } }

    /// A list's items.
    func list() throws(BuildError) -> [YAMLReader] {
        try Self.wrap { () throws(YAMLProblem) in
            try strict.sequence(node, context).enumerated().map { child($1, "\(path)[\($0)]") }
        }
    }

    /// A list of strings; a single string is accepted as a one-item list only when `single` is true.
    func strings(single: Bool = false) throws(BuildError) -> [String] {
        if single, case .scalar = node { return [try string()] }
        return try Self.wrap { () throws(YAMLProblem) in try strict.strings(node, context) }
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
