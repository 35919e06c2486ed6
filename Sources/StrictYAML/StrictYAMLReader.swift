import Foundation
import Yams

/// A problem in a YAML file: what is wrong, and where when libyaml knows.
public struct YAMLProblem: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var reason: String

    public init(file: String, line: Int?, column: Int?, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        guard let line else { return "\(file): \(reason)" }
        return "\(file):\(line):\(column ?? 1): \(reason)"
    }
}

/// Strict typed access to a composed YAML tree, for files people write by hand (build files, test files):
/// unknown keys, duplicates and wrong types are errors at their line and column.
public struct StrictYAMLReader: Sendable {
    /// The file being read, for messages.
    public let file: String

    public init(file: String) { self.file = file }

    /// A problem at `node`'s position.
    public func error(_ node: Node?, _ reason: String) -> YAMLProblem {
        YAMLProblem(file: file, line: node?.mark?.line, column: node?.mark?.column, reason: reason)
    }

    /// Parses `text` into its root node (nil for an empty document); syntax errors keep libyaml's position.
    public func compose(_ text: String) throws(YAMLProblem) -> Node? {
        if let (line, column) = Self.explicitKey(in: text) {
            // Yams compares complex keys to find duplicates, and nested ones cost it exponential time: 1.3 kB of them
            // ran for minutes (found by the ignorefile fuzz target). No file distill reads needs a key that is not a
            // plain scalar.
            throw YAMLProblem(file: file, line: line, column: column, reason: "a complex key ('? ') is not supported; keys are plain names")
        }
        do {
            return try Yams.compose(yaml: text)
        } catch let yamlError as YamlError {
            switch yamlError {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                throw YAMLProblem(file: file, line: mark.line, column: mark.column, reason: "invalid YAML: \(what)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                throw duplicateKey(duplicates.sorted().first ?? "", in: text, from: context.mark)
            default:
                throw YAMLProblem(file: file, line: nil, column: nil, reason: "invalid YAML: \(yamlError)")
            }
        } catch {
            throw YAMLProblem(file: file, line: nil, column: nil, reason: "invalid YAML: \(error)")
        }
    }

    /// The line and column of the first explicit key indicator (`? ` at the start of a node: after indentation, `- `,
    /// `[`, `{` or `,`), or nil. A `?` inside a scalar (`"what? no"`, `a ? b`) is not one.
    public static func explicitKey(in text: String) -> (line: Int, column: Int)? {
        var line = 1
        var column = 0
        var atNodeStart = true
        var previous: UInt8 = 10
        // The byte that ends the quoted scalar or comment being skipped.
        var skipUntil: UInt8? = nil
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            column += 1
            if byte == 10 {
                line += 1
                column = 0
                atNodeStart = true
                skipUntil = nil
                previous = byte
                continue
            }
            if let end = skipUntil {
                if byte == end { skipUntil = nil }
            } else if byte == 34 || byte == 39, atNodeStart || previous == 32 || previous == 58 {
                skipUntil = byte
                atNodeStart = false
            } else if byte == 63 /* ? */, atNodeStart {
                let next = index + 1 < bytes.count ? bytes[index + 1] : 10
                if next == 32 || next == 9 || next == 10 || next == 13 { return (line, column) }
                atNodeStart = false
            } else if byte == 35 /* # */, atNodeStart || previous == 32 || previous == 9 {
                // A comment runs to the end of the line.
                skipUntil = 10
            } else if byte == 45 /* - */, atNodeStart {
                let next = index + 1 < bytes.count ? bytes[index + 1] : 10
                atNodeStart = next == 32 || next == 9 || next == 10
            } else if byte == 91 || byte == 123 || byte == 44 {
                atNodeStart = true
            } else if byte != 32 && byte != 9 && byte != 13 {
                atNodeStart = false
            }
            previous = byte
        }
        return nil
    }

    /// libyaml marks the mapping that repeats a key; point at the key's second appearance within it.
    private func duplicateKey(_ key: String, in text: String, from mark: Mark) -> YAMLProblem {
        var seen = 0
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where number + 1 >= mark.line {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            guard trimmed.hasPrefix(key + ":") || trimmed.hasPrefix("\"\(key)\":") else { continue }
            seen += 1
            if seen == 2 {
                return YAMLProblem(file: file, line: number + 1, column: line.count - trimmed.count + 1, reason: "duplicate key '\(key)'")
            }
        }
        return YAMLProblem(file: file, line: mark.line, column: mark.column, reason: "duplicate key '\(key)'")
    }

    /// True for an explicit or empty null (`key:` with nothing after it).
    public func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && node.null != nil
    }

    /// A mapping's entries in file order, refusing keys outside `allowed` (unless it is empty) and duplicates.
    public func orderedMapping(_ node: Node, _ context: String, allowed: [String]) throws(YAMLProblem)
        -> [(key: String, keyNode: Node, value: Node)]
    {
        guard case .mapping(let mapping) = node else { throw error(node, "\(context) must be a mapping") }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw error(keyNode, "\(context) has a non-string key") }
            guard allowed.isEmpty || allowed.contains(key) else {
                throw error(keyNode, "unknown key '\(key)' in \(context) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard seen.insert(key).inserted else { throw error(keyNode, "duplicate key '\(key)' in \(context)") }
            entries.append((key, keyNode, value))
        }
        return entries
    }

    /// A mapping's entries by key, validated as ``orderedMapping(_:_:allowed:)`` does.
    public func mapping(_ node: Node, _ context: String, allowed: [String]) throws(YAMLProblem) -> [String: Node] {
        var result: [String: Node] = [:]
        for entry in try orderedMapping(node, context, allowed: allowed) { result[entry.key] = entry.value }
        return result
    }

    /// A scalar as text (numbers and booleans are taken as written).
    public func string(_ node: Node, _ context: String) throws(YAMLProblem) -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "\(context) must be a string") }
        return scalar.string
    }

    public func bool(_ node: Node, _ context: String) throws(YAMLProblem) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error(node, "\(context) must be true or false") }
        return value
    }

    public func int(_ node: Node, _ context: String) throws(YAMLProblem) -> Int {
        guard case .scalar = node, let value = node.int else { throw error(node, "\(context) must be an integer") }
        return value
    }

    /// A sequence's items; null means empty.
    public func sequence(_ node: Node, _ context: String) throws(YAMLProblem) -> [Node] {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else { throw error(node, "\(context) must be a list") }
        return Array(sequence)
    }

    /// A list of strings; null means empty.
    public func strings(_ node: Node, _ context: String) throws(YAMLProblem) -> [String] {
        var result: [String] = []
        for (index, item) in try sequence(node, context).enumerated() { result.append(try string(item, "\(context)[\(index)]")) }
        return result
    }
}
