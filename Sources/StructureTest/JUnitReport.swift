import ContainerRuntime
import Foundation
import SystemSupport

extension StructureTestReport {
    /// The report as JUnit XML: `<testsuites>` with one `<testsuite>` per test file, one `<testcase>`
    /// per test, `<failure>`/`<skipped>` children, and command output in `<system-out>`/`<system-err>`.
    public func junitXML() -> String {
        var files: [String] = []
        for result in results where !files.contains(result.file) { files.append(result.file) }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        let total = results.reduce(Duration.zero) { $0 + $1.duration }
        xml += "<testsuites name=\"distill test\" tests=\"\(results.count)\" failures=\"\(failed)\" "
            + "errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds(total))\">\n"
        for file in files {
            let cases = results.filter { $0.file == file }
            let time = cases.reduce(Duration.zero) { $0 + $1.duration }
            xml += "  <testsuite name=\"\(attribute(file))\" tests=\"\(cases.count)\" "
                + "failures=\"\(cases.count { $0.outcome == .failed })\" errors=\"0\" "
                + "skipped=\"\(cases.count { $0.outcome == .skipped })\" time=\"\(seconds(time))\">\n"
            for result in cases {
                let classname = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + "." + result.kind.rawValue
                xml += "    <testcase classname=\"\(attribute(classname))\" name=\"\(attribute(result.title))\" "
                    + "time=\"\(seconds(result.duration))\""
                let body = caseBody(result)
                xml += body.isEmpty ? "/>\n" : ">\n" + body + "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// Writes the JUnit XML atomically: the file appears complete or not at all.
    public func writeJUnit(to path: String) throws {
        do {
            try AtomicWrite.write(Data(junitXML().utf8), to: path)
        } catch {
            throw StructureTestError.report(path: path, reason: "\(error)")
        }
    }

    private func caseBody(_ result: StructureTestResult) -> String {
        var body = ""
        switch result.outcome {
        case .passed:
            break
        case .failed:
            body += "      <failure message=\"\(attribute(result.messages.first ?? "failed"))\" type=\"\(attribute(result.kind.rawValue))\">"
                + text(result.messages.joined(separator: "\n")) + "</failure>\n"
        case .skipped:
            body += "      <skipped message=\"\(attribute(result.messages.first ?? "skipped"))\"/>\n"
        }
        if let stdout = result.stdout, !stdout.isEmpty { body += "      <system-out>\(text(stdout))</system-out>\n" }
        if let stderr = result.stderr, !stderr.isEmpty { body += "      <system-err>\(text(stderr))</system-err>\n" }
        return body
    }

    /// Escapes character data; characters XML 1.0 cannot carry at all (most control characters,
    /// unpaired surrogates already gone in Swift strings) become U+FFFD so the document stays well-formed.
    private func text(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\t", "\n": output.unicodeScalars.append(scalar)
            case "\r": output += "&#13;"
            default:
                let v = scalar.value
                let allowed = (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || (0x10000...0x10FFFF).contains(v)
                output.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return output
    }

    /// Escapes an attribute value, keeping newlines and tabs (which attribute normalization would eat).
    private func attribute(_ value: String) -> String {
        text(value)
            .replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
            .replacingOccurrences(of: "\n", with: "&#10;")
            .replacingOccurrences(of: "\t", with: "&#9;")
    }
}
