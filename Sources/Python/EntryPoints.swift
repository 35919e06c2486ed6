/// `entry_points.txt`'s console and GUI scripts, and the launcher written for each (PEP 427's installer duty).
struct ConsoleScript: Equatable {
    var name: String
    var module: String
    /// The attribute path to call (`cli.main`), empty to run the module.
    var attribute: String

    /// The scripts of `[console_scripts]` and `[gui_scripts]`; other groups are plugins, not commands.
    static func parse(_ text: String, file: String) throws(PythonError) -> [ConsoleScript] {
        var scripts: [ConsoleScript] = []
        var section = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw).trimmingASCIISpaces()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingASCIISpaces()
                continue
            }
            guard section == "console_scripts" || section == "gui_scripts" else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .malformedWheel(file: file, reason: "entry_points.txt: '\(line)' is not name = module:attribute")
            }
            let name = String(line[..<equals]).trimmingASCIISpaces()
            var target = String(line[line.index(after: equals)...]).trimmingASCIISpaces()
            if let bracket = target.firstIndex(of: "[") { target = String(target[..<bracket]).trimmingASCIISpaces() }
            let parts = target.split(separator: ":", maxSplits: 1).map { String($0).trimmingASCIISpaces() }
            guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", let module = parts.first, Self.isDottedName(module),
                parts.count == 1 || Self.isDottedName(parts[1])
            else {
                throw .malformedWheel(file: file, reason: "entry_points.txt: '\(line)' is not name = module:attribute")
            }
            scripts.append(ConsoleScript(name: name, module: module, attribute: parts.count > 1 ? parts[1] : ""))
        }
        return scripts
    }

    static func isDottedName(_ text: String) -> Bool {
        !text.isEmpty
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
                guard let first = part.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
                return part.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            }
    }

    /// The launcher: imports the object and exits with what it returns, run by the image's interpreter.
    func launcher(interpreter: String) -> String {
        if attribute.isEmpty {
            return """
                #!\(interpreter)
                import runpy
                import sys
                if __name__ == "__main__":
                    sys.exit(runpy.run_module("\(module)", run_name="__main__", alter_sys=True))

                """
        }
        let top = String(attribute.split(separator: ".").first ?? "")
        return """
            #!\(interpreter)
            import sys
            from \(module) import \(top)
            if __name__ == "__main__":
                sys.argv[0] = sys.argv[0].removesuffix(".exe")
                sys.exit(\(attribute)())

            """
    }
}
