/// `$NAME` and `${NAME}` replaced with the image's environment, as container-structure-test does for
/// paths and commands. Unlike Go's `os.Expand`, names the image does not define are left as written,
/// so a literal `$` in a Python one-liner is not silently erased.
enum EnvExpansion {
    static func expand(_ text: String, with env: [String: String]) -> String {
        guard text.contains("$") else { return text }
        var output = ""
        var rest = text[...]
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            var name: Substring
            var consumed: Substring.Index
            if after.first == "{", let close = after.firstIndex(of: "}") {
                name = after[after.index(after: after.startIndex)..<close]
                consumed = after.index(after: close)
            } else {
                let end = after.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") || !$0.isASCII } ?? after.endIndex
                name = after[..<end]
                consumed = end
            }
            if !name.isEmpty, let value = env[String(name)] {
                output += value
                rest = rest[consumed...]
            } else {
                output += "$"
                rest = after
            }
        }
        return output + rest
    }

    /// `KEY=VALUE` entries as a dictionary (later entries win).
    static func dictionary(_ entries: [String]) -> [String: String] {
        var env: [String: String] = [:]
        for entry in entries {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            env[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return env
    }
}
