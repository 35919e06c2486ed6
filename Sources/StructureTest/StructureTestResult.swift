import ContainerRuntime
import Foundation

/// The outcome of one structure test.
public struct StructureTestResult: Sendable, Hashable {
    /// Which section of the file the test came from.
    public enum Kind: String, Sendable, Hashable {
        case command = "Command Test"
        case fileExistence = "File Existence Test"
        case fileContent = "File Content Test"
        case metadata = "Metadata Test"
        case license = "License Test"
    }

    public enum Outcome: String, Sendable, Hashable {
        case passed = "PASS"
        case failed = "FAIL"
        case skipped = "SKIP"
    }

    public var kind: Kind
    /// The test's `name` (the metadata test has none).
    public var name: String
    /// The test file it came from.
    public var file: String
    public var outcome: Outcome
    /// Why it failed (or was skipped), one line each: which regex was not found, which exit code…
    public var messages: [String]
    /// A command test's captured output.
    public var stdout: String?
    public var stderr: String?
    public var duration: Duration

    public init(
        kind: Kind, name: String, file: String, outcome: Outcome = .passed, messages: [String] = [],
        stdout: String? = nil, stderr: String? = nil, duration: Duration = .zero
    ) {
        self.kind = kind
        self.name = name
        self.file = file
        self.outcome = outcome
        self.messages = messages
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
    }

    /// "Command Test: hello", as container-structure-test names results.
    public var title: String { name.isEmpty ? kind.rawValue : "\(kind.rawValue): \(name)" }

    /// Records a failure.
    mutating func fail(_ message: String) {
        outcome = .failed
        messages.append(message)
    }
}

/// All results of a `distill test` run.
public struct StructureTestReport: Sendable, Hashable {
    public var results: [StructureTestResult]

    public init(results: [StructureTestResult]) {
        self.results = results
    }

    public var passed: Int { results.count { $0.outcome == .passed } }
    public var failed: Int { results.count { $0.outcome == .failed } }
    public var skipped: Int { results.count { $0.outcome == .skipped } }
    /// True when nothing failed (skipped tests do not fail a run) and at least one test ran.
    public var succeeded: Bool { failed == 0 && passed > 0 }

    /// `N passed, N failed` (and skipped, when any).
    public var summary: String {
        var text = "\(passed) passed, \(failed) failed"
        if skipped > 0 { text += ", \(skipped) skipped" }
        if results.isEmpty { text += " (the test files define no tests)" }
        return text
    }

    /// The human report: one line per test, reasons and output excerpts under failures, then the summary.
    public var text: String {
        var lines: [String] = []
        var currentFile: String?
        for result in results {
            if result.file != currentFile {
                currentFile = result.file
                lines.append("=== \(result.file)")
            }
            lines += result.reportLines
        }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension StructureTestResult {
    /// This result as the text report prints it (for streaming progress): `PASS  Command Test: x  (0.120s)`,
    /// then, unless it passed, its reasons and (for failed commands) output excerpts, indented.
    public var reportLines: [String] {
        var lines = ["\(outcome.rawValue)  \(title)  (\(seconds(duration))s)"]
        guard outcome != .passed else { return lines }
        lines += messages.map { "      " + $0 }
        if outcome == .failed {
            for (label, text) in [("stdout", stdout), ("stderr", stderr)] {
                guard let text, !text.isEmpty else { continue }
                lines.append("      \(label):")
                lines += excerpt(text, limit: 1500).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { "        " + $0 }
            }
        }
        return lines
    }
}

/// Seconds with millisecond precision, as JUnit and the text report print them.
func seconds(_ duration: Duration) -> String {
    let (whole, attoseconds) = duration.components
    let millis = whole * 1000 + attoseconds / 1_000_000_000_000_000
    return "\(millis / 1000).\(String(format: "%03d", Int(millis % 1000)))"
}
