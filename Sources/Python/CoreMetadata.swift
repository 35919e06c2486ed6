import Foundation

/// A distribution's core metadata (the wheel's `METADATA`, or the PEP 658 file): name, version, dependencies.
public struct CoreMetadata: Sendable, Hashable {
    public var name: ProjectName
    public var version: PEP440Version
    /// `Requires-Dist`, in order.
    public var requiresDist: [Requirement]
    /// `Requires-Python`, when given.
    public var requiresPython: SpecifierSet?
    /// `Provides-Extra`, normalised.
    public var providesExtra: [String]

    public init(
        name: ProjectName, version: PEP440Version, requiresDist: [Requirement] = [], requiresPython: SpecifierSet? = nil,
        providesExtra: [String] = []
    ) {
        self.name = name
        self.version = version
        self.requiresDist = requiresDist
        self.requiresPython = requiresPython
        self.providesExtra = providesExtra
    }

    /// Parses the email-header format of `METADATA`; `file` names it in errors.
    public init(parsing data: Data, file: String) throws(PythonError) {
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw .malformedMetadata(file: file, reason: "not text")
        }
        let headers = Self.headers(text)
        func first(_ key: String) -> String? { headers.first { $0.0 == key }?.1 }
        guard let rawName = first("name") else { throw .malformedMetadata(file: file, reason: "no Name field") }
        guard let rawVersion = first("version") else { throw .malformedMetadata(file: file, reason: "no Version field") }
        do {
            name = try ProjectName(rawName)
            version = try PEP440Version(rawVersion)
        } catch {
            throw .malformedMetadata(file: file, reason: error.reason)
        }
        var requirements: [Requirement] = []
        for (key, value) in headers where key == "requires-dist" {
            do {
                requirements.append(try Requirement(parsing: value, context: file))
            } catch {
                throw .malformedMetadata(file: file, reason: "Requires-Dist '\(value)': \(error.reason)")
            }
        }
        requiresDist = requirements
        if let python = first("requires-python") {
            do {
                requiresPython = try SpecifierSet(python)
            } catch {
                throw .malformedMetadata(file: file, reason: "Requires-Python '\(python)': \(error.reason)")
            }
        } else {
            requiresPython = nil
        }
        providesExtra = headers.filter { $0.0 == "provides-extra" }.map { ProjectName.normalize($0.1.trimmingASCIISpaces()) }
    }

    /// Header fields (lower-cased names) up to the first blank line, continuation lines folded in.
    static func headers(_ text: String) -> [(String, String)] {
        var fields: [(String, String)] = []
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                if !fields.isEmpty { fields[fields.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields.append((key, value))
        }
        return fields
    }
}
