import Archive
import Debian
import Foundation
import SBOM

/// The language runtimes of an image, from what the SBOM catalogers found: the interpreter's package first
/// (`python3.11 3.11.2-6+deb12u8` → Python 3.11.2), then the `*_VERSION` variables official images set, then
/// an interpreter's file name (`usr/local/bin/python3.12` → Python 3.12).
enum RuntimeVersions {
    typealias Runtime = ImageComparison.Runtime

    static func detect(packages: [CatalogedPackage], env: [String], tree: FileTree) -> [Runtime] {
        var found: [String: Runtime] = [:]
        func add(_ runtime: Runtime) { if found[runtime.name] == nil { found[runtime.name] = runtime } }
        // Interpreter packages before their -minimal parts and libraries, so the source named is the one people know.
        for package in packages.sorted(by: { rank($0.name) < rank($1.name) }) {
            guard let name = runtimeName(package) else { continue }
            add(Runtime(name: name, version: upstream(package), source: "\(package.name) \(package.version)"))
        }
        let variables = ["PYTHON_VERSION": "Python", "NODE_VERSION": "Node.js", "GOLANG_VERSION": "Go", "JAVA_VERSION": "Java",
                         "RUBY_VERSION": "Ruby"]
        for variable in env {
            let parts = variable.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let name = variables[String(parts[0])], !parts[1].isEmpty else { continue }
            add(Runtime(name: name, version: String(parts[1]), source: "ENV \(parts[0])"))
        }
        if found["Python"] == nil {
            // Regular expressions are slow on thousands of paths: only the few under a bin folder named python… are tried.
            for directory in ["usr/local/bin/", "usr/bin/", "bin/"] {
                for entry in tree.entries where entry.path.hasPrefix(directory + "python") && (entry.kind == .regular || isLink(entry)) {
                    guard let match = entry.path.dropFirst(directory.count).wholeMatch(of: /python(\d+\.\d+)/) else { continue }
                    add(Runtime(name: "Python", version: String(match.1), source: "/" + entry.path))
                }
            }
        }
        return found.values.sorted { $0.name < $1.name }
    }

    /// The runtime a package is, if it is one.
    private static func runtimeName(_ package: CatalogedPackage) -> String? {
        let name = package.name
        switch package.ecosystem {
        case .debian:
            if name.wholeMatch(of: /(?:lib)?python\d+\.\d+(?:-minimal)?/) != nil { return "Python" }
            if name == "nodejs" { return "Node.js" }
            if name.wholeMatch(of: /openjdk-\d+-(?:jre|jdk)(?:-headless)?/) != nil { return "Java" }
            if name.wholeMatch(of: /ruby\d+\.\d+/) != nil { return "Ruby" }
            if name.wholeMatch(of: /golang-\d+\.\d+-go/) != nil { return "Go" }
        case .alpine:
            if name == "python3" { return "Python" }
            if name == "nodejs" { return "Node.js" }
            if name == "ruby" { return "Ruby" }
            if name == "go" { return "Go" }
        case .go:
            if name == "stdlib" { return "Go" }
        case .python:
            break
        }
        return nil
    }

    /// `python3.11` before `python3.11-minimal` before `libpython3.11-minimal`.
    private static func rank(_ name: String) -> Int {
        (name.hasPrefix("lib") ? 2 : 0) + (name.hasSuffix("-minimal") ? 1 : 0)
    }

    /// The upstream part of a package's version: no epoch, no Debian or Alpine revision, no Go `v`/`go` prefix.
    private static func upstream(_ package: CatalogedPackage) -> String {
        switch package.ecosystem {
        case .debian:
            return (try? DebianVersion(package.version))?.upstream ?? package.version
        case .alpine:
            guard let dash = package.version.range(of: "-r", options: .backwards) else { return package.version }
            return String(package.version[..<dash.lowerBound])
        case .go:
            var version = Substring(package.version)
            if version.hasPrefix("go") { version = version.dropFirst(2) } else if version.hasPrefix("v") { version = version.dropFirst() }
            return String(version)
        case .python:
            return package.version
        }
    }

    private static func isLink(_ entry: FlattenedEntry) -> Bool {
        if case .symlink = entry.kind { return true }
        return false
    }
}
