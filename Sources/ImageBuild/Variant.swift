import Debian
import Foundation

/// One image of a build file's `variants:`: a name and what it changes of the file's own settings.
///
/// Every key given replaces the file's value (lists too: `packages:` is the variant's whole list); a key not
/// given keeps it. The image is `<name>-<variant>`, written to `build/<name>-<variant>` with its own lock file.
public struct Variant: Sendable, Equatable {
    public var name: String
    public var distro: DebianDistro?
    public var base: Preset.Name?
    public var suites: [String]?
    public var archs: [String]?
    public var packages: [String]?
    public var python: PythonSettings?
    public var entrypoint: [String]?
    public var cmd: [String]?
    /// `debug: true` adds busybox's shell under `/busybox`, like distroless's `:debug` images.
    public var debug: Bool?
    /// Where the variant starts in the build file.
    public var location: SourceLocation?

    public init(name: String) { self.name = name }

    /// Keys a variant may use.
    public static let keys = ["name", "distro", "base", "suites", "archs", "packages", "python", "entrypoint", "cmd", "debug"]
}

extension BuildFile {
    /// The build file as `variant` changes it: named `<name>-<variant>`, with its own lock file and no variants.
    public func applying(_ variant: Variant) -> BuildFile {
        var build = self
        build.name = "\(name)-\(variant.name)"
        build.variant = variant.name
        build.variants = []
        if let distro = variant.distro { build.distro = distro }
        if let base = variant.base {
            // A variant's preset replaces the file's base, an image one included.
            build.base = base
            build.baseImage = nil
        }
        if let suites = variant.suites { build.suites = suites }
        if let archs = variant.archs {
            build.archs = archs
            build.archsListed = true
        }
        if let packages = variant.packages { build.packages = packages }
        if let python = variant.python { build.python = python }
        if let entrypoint = variant.entrypoint { build.entrypoint = entrypoint }
        if let cmd = variant.cmd { build.cmd = cmd }
        if let debug = variant.debug { build.debug = debug }
        return build
    }

    /// The variants named in `names` (all when nil), in the file's order; an unknown name is an error listing the known ones.
    public func selectVariants(_ names: [String]?) throws(BuildError) -> [Variant] {
        guard let names else { return variants }
        for name in names where !variants.contains(where: { $0.name == name }) {
            throw .unknownVariant(
                file: path, name: name,
                known: variants.isEmpty ? "the build file has no variants:" : "its variants are \(variants.map(\.name).joined(separator: ", "))")
        }
        return variants.filter { names.contains($0.name) }
    }

    /// Reads `variants:` once the rest of the file is known, and checks each variant's build as a whole.
    static func parseVariants(_ value: YAMLReader, into build: BuildFile, later: LaterChecks) throws(BuildError) -> [Variant] {
        var variants: [Variant] = []
        let items = try value.list()
        if items.isEmpty { throw value.error("list at least one variant (- name: …), or leave variants: out") }
        for item in items {
            var variant = Variant(name: "")
            variant.location = item.node.mark.map { SourceLocation(line: $0.line, column: $0.column) }
            var checks = later
            var named = false
            var distro: YAMLReader?
            for (key, value) in try item.mapping(allowed: Variant.keys) {
                switch key {
                case "name":
                    variant.name = try value.string()
                    named = true
                    if !isValidName(variant.name) || !isValidName("\(build.name)-\(variant.name)") {
                        throw value.error(
                            "'\(variant.name)' is not a valid variant name: lowercase letters and digits, separated by '.', '_' or '-' "
                                + "(the image is named \(build.name)-<variant>)")
                    }
                    if variants.contains(where: { $0.name == variant.name }) { throw value.error("the variant '\(variant.name)' is listed twice") }
                case "distro":
                    variant.distro = try value.oneOf(DebianDistro.allCases.map(\.rawValue)) { DebianDistro(rawValue: $0) }
                    distro = value
                case "base": variant.base = try value.oneOf(Preset.Name.allCases.map(\.rawValue)) { Preset.Name(rawValue: $0) }
                case "suites":
                    variant.suites = try value.strings()
                    checks.suites = try value.list()
                case "archs": variant.archs = try parseArchs(value)
                case "packages": variant.packages = try value.strings()
                case "python":
                    variant.python = try PythonSettings.parse(value, directory: build.directory)
                    checks.python = value
                case "entrypoint": variant.entrypoint = try value.strings(single: false)
                case "cmd": variant.cmd = try value.strings(single: false)
                default: variant.debug = try value.bool()
                }
            }
            guard named else { throw item.error("a variant needs `name:` (it names the image: \(build.name)-<name>)") }
            if let distro, let suites = build.suites, variant.suites == nil, let other = variant.distro, other != build.distro {
                throw distro.error(
                    "variant '\(variant.name)' is \(other.rawValue), and the file's suites: [\(suites.joined(separator: ", "))] are "
                        + "\(build.distro.rawValue)'s; give the variant its own suites: (e.g. [\(other.codename)])")
            }
            let applied = build.applying(variant)
            if applied.base == nil && applied.packages.isEmpty {
                throw item.error("variant '\(variant.name)' has neither `base:` nor `packages:`")
            }
            do {
                try checks.check(applied)
            } catch {
                // The message was written for the file alone; say which variant it is about.
                guard case .buildFile(let file, let line, let column, let message) = error else { throw error }
                throw .buildFile(file: file, line: line, column: column, message: "variant '\(variant.name)': \(message)")
            }
            variants.append(variant)
        }
        return variants
    }
}
