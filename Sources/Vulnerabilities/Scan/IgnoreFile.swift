import Foundation
import StrictYAML
import Yams

/// One accepted risk: a vulnerability id, optionally only for one package, until an expiry date, and why.
public struct IgnoreRule: Sendable, Equatable {
    /// A CVE, GHSA or OSV id (any alias of the finding matches).
    public var id: String
    /// Only this package (binary name, source name or PyPI name); nil for every package.
    public var package: String?
    /// `YYYY-MM-DD`: from the day after, the rule no longer applies.
    public var expires: String?
    public var reason: String?
    /// Where the rule was written, for messages.
    public var line: Int

    public init(id: String, package: String?, expires: String?, reason: String?, line: Int) {
        self.id = id
        self.package = package
        self.expires = expires
        self.reason = reason
        self.line = line
    }

    /// True when the rule has expired on `today` (`YYYY-MM-DD`).
    public func isExpired(today: String) -> Bool { expires.map { $0 < today } ?? false }

    /// True when the rule covers `finding`.
    public func matches(_ finding: Finding) -> Bool {
        guard finding.allIDs.contains(id) else { return false }
        guard let package else { return true }
        let candidates = [finding.package.name, finding.package.sourceName].compactMap { $0 }
        return candidates.contains(package) || (finding.package.ecosystem == "PyPI" && PackageNameKey.key(name: package, ecosystem: "PyPI")
            == PackageNameKey.key(name: finding.package.name, ecosystem: "PyPI"))
    }
}

/// An ignore file, in YAML (`ignore: [{id, package, expires, reason}]`) or the simple line format
/// `ID [PACKAGE] [exp:YYYY-MM-DD] [# reason]` (a `.trivyignore` is valid in it).
public struct IgnoreFile: Sendable, Equatable {
    public var path: String
    public var rules: [IgnoreRule]

    public init(path: String, rules: [IgnoreRule]) {
        self.path = path
        self.rules = rules
    }

    /// Reads and validates the file at `path`.
    public static func load(_ path: String) throws(VulnerabilityError) -> IgnoreFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .io(path: path, reason: "cannot read the ignore file (\(error.localizedDescription))")
        }
        return try parse(text, path: path)
    }

    /// Parses `text`; YAML when the file is `.yaml`/`.yml` or starts with `ignore:`.
    public static func parse(_ text: String, path: String) throws(VulnerabilityError) -> IgnoreFile {
        let firstContent = text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") && !$0.isEmpty }
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") || firstContent?.hasPrefix("ignore:") == true {
            return try parseYAML(text, path: path)
        }
        var rules: [IgnoreRule] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            var reason: String?
            if let hash = line.firstIndex(of: "#") {
                reason = line[line.index(after: hash)...].trimmingCharacters(in: .whitespaces)
                line = line[..<hash]
            }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let id = words.first else { continue }
            var rule = IgnoreRule(id: id, package: nil, expires: nil, reason: reason?.isEmpty == true ? nil : reason, line: index + 1)
            for word in words.dropFirst() {
                if word.hasPrefix("exp:") {
                    rule.expires = try date(String(word.dropFirst(4)), path: path, line: index + 1)
                } else if rule.package == nil {
                    rule.package = word
                } else {
                    throw .malformedIgnoreFile(file: path, line: index + 1, reason: "unexpected '\(word)'")
                }
            }
            rules.append(rule)
        }
        return IgnoreFile(path: path, rules: rules)
    }

    private static func parseYAML(_ text: String, path: String) throws(VulnerabilityError) -> IgnoreFile {
        let reader = StrictYAMLReader(file: path)
        do {
            guard let root = try reader.compose(text) else { return IgnoreFile(path: path, rules: []) }
            let top = try reader.mapping(root, "the ignore file", allowed: ["ignore"])
            var rules: [IgnoreRule] = []
            for item in try top["ignore"].map({ try reader.sequence($0, "ignore") }) ?? [] {
                let fields = try reader.mapping(item, "an ignore entry", allowed: ["id", "package", "expires", "reason"])
                let line = (item.mark?.line ?? 0) + 1
                guard let id = fields["id"] else { throw VulnerabilityError.malformedIgnoreFile(file: path, line: line, reason: "the entry has no id") }
                rules.append(
                    IgnoreRule(
                        id: try reader.string(id, "id"), package: try fields["package"].map { try reader.string($0, "package") },
                        expires: try fields["expires"].map { try date(try reader.string($0, "expires"), path: path, line: line) },
                        reason: try fields["reason"].map { try reader.string($0, "reason") }, line: line))
            }
            return IgnoreFile(path: path, rules: rules)
        } catch let error as VulnerabilityError {
            throw error
        } catch let problem as YAMLProblem {
            throw .malformedIgnoreFile(file: path, line: problem.line ?? 0, reason: problem.reason)
        } catch {
            throw .malformedIgnoreFile(file: path, line: 0, reason: "\(error)")
        }
    }

    private static func date(_ text: String, path: String, line: Int) throws(VulnerabilityError) -> String {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), let month = Int(parts[1]), (1...12).contains(month),
            let day = Int(parts[2]), (1...31).contains(day)
        else {
            throw .malformedIgnoreFile(file: path, line: line, reason: "expiry '\(text)' is not a date YYYY-MM-DD")
        }
        return text
    }

    /// The first rule that is in force on `today` and covers `finding`.
    public func rule(for finding: Finding, today: String) -> IgnoreRule? {
        rules.first { !$0.isExpired(today: today) && $0.matches(finding) }
    }

    /// Today's date in UTC as `YYYY-MM-DD`.
    public static func today(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
