import Foundation

/// A pip requirements file: one requirement a line, with `--hash`, `-r` includes, `--index-url`, `--pre`,
/// comments, `\` continuations and `${VAR}` from the environment, as pip reads them.
public struct RequirementsFile: Sendable, Equatable {
    /// One requirement, where it was written and the hashes it allows.
    public struct Entry: Sendable, Equatable {
        public var requirement: Requirement
        /// Allowed sha256 digests (lowercase hex); empty: any file the index vouches for.
        public var hashes: [String]
        /// `file:line`, for messages.
        public var origin: String

        public init(requirement: Requirement, hashes: [String] = [], origin: String) {
            self.requirement = requirement
            self.hashes = hashes
            self.origin = origin
        }
    }

    public var entries: [Entry] = []
    /// `--index-url` / `-i`, the last one read.
    public var indexURL: String?
    /// `--pre`: pre-releases may be chosen.
    public var preReleases = false

    public init(entries: [Entry] = [], indexURL: String? = nil, preReleases: Bool = false) {
        self.entries = entries
        self.indexURL = indexURL
        self.preReleases = preReleases
    }

    /// Options that change nothing for a wheels-only, single-index install, accepted as pip accepts them.
    static let ignoredOptions: Set<String> = ["--only-binary", "--prefer-binary", "--require-hashes", "--trusted-host", "--no-cache-dir"]
    /// Options distill refuses, with the reason.
    static let refusedOptions: [String: String] = [
        "-e": "editable installs need a source tree and a build", "--editable": "editable installs need a source tree and a build",
        "-c": "constraints files are not supported; pin the versions in the requirements", "--constraint": "constraints files are not supported; pin the versions in the requirements",
        "--extra-index-url": "one index is read; mirror the packages into one index", "-f": "only an index is read (no --find-links)",
        "--find-links": "only an index is read (no --find-links)", "--no-binary": "distill installs wheels only and never builds",
        "--no-index": "an index is required", "--use-feature": "not supported",
    ]

    /// Reads `path` and the files it includes; `environment` expands `${VAR}`.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PythonError) -> RequirementsFile {
        var result = RequirementsFile()
        try result.read(path: path, environment: environment, including: [])
        return result
    }

    /// Parses text (no includes are possible without a file); `name` stands for the file in messages.
    public static func parse(_ text: String, name: String, environment: [String: String] = [:]) throws(PythonError) -> RequirementsFile {
        var result = RequirementsFile()
        try result.parse(text, file: name, directory: nil, environment: environment, including: [name])
        return result
    }

    private mutating func read(path: String, environment: [String: String], including stack: [String]) throws(PythonError) {
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        if stack.contains(standardized) {
            throw .requirementsFile(file: stack.last ?? path, line: 0, reason: "\(path) includes itself (through -r)")
        }
        guard let data = FileManager.default.contents(atPath: standardized) else {
            throw .requirementsFile(file: path, line: 0, reason: FileManager.default.fileExists(atPath: standardized) ? "cannot be read" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .requirementsFile(file: path, line: 0, reason: "not UTF-8 text") }
        try parse(text, file: path, directory: FilePathText.directory(of: standardized), environment: environment, including: stack + [standardized])
    }

    private mutating func parse(
        _ text: String, file: String, directory: String?, environment: [String: String], including stack: [String]
    ) throws(PythonError) {
        for (number, logical) in Self.logicalLines(text) {
            let line = Self.expand(Self.stripComment(logical), environment: environment).trimmingASCIISpaces()
            if line.isEmpty { continue }
            let origin = "\(FilePathText.name(of: file)):\(number)"
            let fail = { (reason: String) -> PythonError in .requirementsFile(file: file, line: number, reason: reason) }
            let words = Self.words(line)
            if line.hasPrefix("-") {
                var index = 0
                while index < words.count {
                    let (option, inlineValue) = Self.splitOption(words[index])
                    index += 1
                    func value() throws(PythonError) -> String {
                        if let inlineValue { return inlineValue }
                        guard index < words.count else { throw fail("\(option) needs a value") }
                        index += 1
                        return words[index - 1]
                    }
                    switch option {
                    case "-r", "--requirement":
                        let include = try value()
                        guard let directory else { throw fail("-r \(include): includes need a requirements file on disk") }
                        try read(path: include.hasPrefix("/") ? include : directory + "/" + include, environment: environment, including: stack)
                    case "-i", "--index-url":
                        let url = try value()
                        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw fail("--index-url \(url) is not an http(s) URL") }
                        indexURL = url
                    case "--pre": preReleases = true
                    default:
                        if let reason = Self.refusedOptions[option] { throw fail("\(option): \(reason)") }
                        guard Self.ignoredOptions.contains(option) else { throw fail("unknown option \(option)") }
                        if option != "--require-hashes" && option != "--prefer-binary" && option != "--no-cache-dir" { _ = try value() }
                    }
                }
                continue
            }
            // A requirement, then its options (--hash).
            guard let firstOption = words.firstIndex(where: { $0.hasPrefix("--") }) else {
                try add(line, hashes: [], origin: origin, fail: fail)
                continue
            }
            let requirementText = Self.textBefore(option: words[firstOption], in: line)
            var hashes: [String] = []
            var index = firstOption
            while index < words.count {
                let (option, inlineValue) = Self.splitOption(words[index])
                index += 1
                guard option == "--hash" else {
                    if Self.ignoredOptions.contains(option) || option == "--global-option" || option == "--config-settings" { continue }
                    throw fail("\(option) is not allowed after a requirement (only --hash)")
                }
                var hashValue = inlineValue
                if hashValue == nil, index < words.count {
                    hashValue = words[index]
                    index += 1
                }
                guard let hashValue, hashValue.hasPrefix("sha256:") else {
                    throw fail("--hash takes sha256:<64 hex digits> (other algorithms are not checked)")
                }
                let hex = String(hashValue.dropFirst(7)).lowercased()
                guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                    throw fail("--hash \(hashValue): a sha256 is 64 hex digits")
                }
                hashes.append(hex)
            }
            try add(requirementText, hashes: hashes, origin: origin, fail: fail)
        }
    }

    private mutating func add(_ text: String, hashes: [String], origin: String, fail: (String) -> PythonError) throws(PythonError) {
        let requirement: Requirement
        do {
            requirement = try Requirement(parsing: text, context: origin)
        } catch {
            throw fail("'\(text)' is not a requirement: \(error.reason)")
        }
        if requirement.url != nil { throw fail("\(requirement.name) @ URL: distill installs from an index only; name a version instead") }
        entries.append(Entry(requirement: requirement, hashes: hashes, origin: origin))
    }

    /// Lines joined across `\` continuations, numbered by the line they start on.
    static func logicalLines(_ text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        var current = ""
        var start = 0
        for (index, raw) in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current.isEmpty { start = index + 1 }
            let line = stripComment(String(raw))
            if line.hasSuffix("\\") {
                current += line.dropLast()
                continue
            }
            result.append((start, current + line))
            current = ""
        }
        if !current.isEmpty { result.append((start, current)) }
        return result
    }

    /// The line without a `#` comment (a `#` at the start, or after a blank).
    static func stripComment(_ line: String) -> String {
        let bytes = Array(line.utf8)
        for (i, b) in bytes.enumerated() where b == 0x23 && (i == 0 || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09) {
            return String(decoding: bytes[..<i], as: UTF8.self)
        }
        return line
    }

    /// `${NAME}` replaced by the environment's value (pip expands only this form, only upper case, digits and `_`).
    static func expand(_ line: String, environment: [String: String]) -> String {
        guard line.contains("${") else { return line }
        var out = ""
        var rest = Substring(line)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = String(after[..<close])
            if !name.isEmpty, name.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }),
                let value = environment[name]
            {
                out += value
            } else {
                out += "${" + name + "}"
            }
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }

    static func words(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// `--hash=sha256:…` → (`--hash`, value); `-r` → (`-r`, nil); `-rfile.txt` → (`-r`, `file.txt`).
    static func splitOption(_ word: String) -> (String, String?) {
        if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
            return (String(word[..<equals]), String(word[word.index(after: equals)...]))
        }
        if !word.hasPrefix("--"), word.count > 2, ["-r", "-i", "-c", "-e", "-f"].contains(String(word.prefix(2))) {
            return (String(word.prefix(2)), String(word.dropFirst(2)))
        }
        return (word, nil)
    }

    /// The part of `line` before the first occurrence of the option word `option`.
    static func textBefore(option: String, in line: String) -> String {
        var searchStart = line.startIndex
        while let range = line.range(of: option, range: searchStart..<line.endIndex) {
            if range.lowerBound == line.startIndex || line[line.index(before: range.lowerBound)] == " " || line[line.index(before: range.lowerBound)] == "\t" {
                return String(line[..<range.lowerBound]).trimmingASCIISpaces()
            }
            searchStart = range.upperBound
        }
        return line
    }
}

/// Path helpers on plain strings (this module does not depend on Archive's).
enum FilePathText {
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
