import Debian
import Foundation

/// Checks of values whose meaning depends on other keys (`user:` on `accounts:`, `suites:` on `distro:`,
/// `exclude:` on `base:` and `packages:`), run once the whole build file is read, at the value's position.
struct LaterChecks {
    var user: YAMLReader?
    var suites: [YAMLReader] = []
    var exclude: [YAMLReader] = []
    var python: YAMLReader?

    func check(_ build: BuildFile) throws(BuildError) {
        if let user, ImageUser(build.user, accounts: build.accounts) == nil {
            throw user.error(
                "'\(build.user)' is neither nonroot, root, nobody, a numeric uid[:gid], nor a user under accounts.users")
        }
        let distro = build.distro
        for item in suites {
            let suite = try item.string()
            if !Self.isSuite(suite, of: distro) {
                throw item.error(
                    "'\(suite)' is not a \(distro.rawValue) suite (\(distro.rawValue) is \(distro.codename): "
                        + "\(distro.defaultSuites.joined(separator: ", ")))")
            }
        }
        if let python, !build.hasPython {
            throw python.error(
                "python: installs wheels for the image's Python, and this image has none; use `base: python3` "
                    + "(or list \(Preset.pythonPackage(distro)) under packages:)")
        }
        let preset = build.base.map { Preset.packages($0, distro: distro) } ?? []
        for item in exclude {
            let pattern = try item.string()
            let policy = ResolutionPolicy(excluded: [pattern], dataOnly: [])
            if let name = preset.first(where: policy.isExcluded) {
                throw item.error(
                    "\(name) cannot be excluded: the \(build.base?.rawValue ?? "") preset is made of it, and exclude: only leaves out "
                        + "dependencies; choose a smaller preset, or leave out base: and list packages:")
            }
            if let name = build.packages.first(where: { policy.isExcluded($0) }) {
                throw item.error("\(name) cannot be excluded: it is listed under packages:")
            }
        }
    }

    /// The release's own suites: `trixie`, `trixie-updates`, `trixie-security`, `trixie-backports`…
    static func isSuite(_ suite: String, of distro: DebianDistro) -> Bool {
        guard suite.hasPrefix(distro.codename) else { return false }
        return ["", "-updates", "-security", "-backports", "-proposed-updates"].contains(String(suite.dropFirst(distro.codename.count)))
    }
}

extension BuildFile {
    /// An image name a registry, `docker load` and `podman load` accept as a repository component:
    /// lowercase letters and digits, separated by `.`, `_`, `__` or runs of `-`.
    public static func isValidName(_ name: String) -> Bool {
        name.utf8.count <= 128 && name.wholeMatch(of: #/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*/#) != nil
    }

    /// `name` made valid (`My App` → `my-app`): lowercased, anything else a `-`; "image" if nothing is left.
    public static func sanitizedName(_ name: String) -> String {
        let lower = name.lowercased()
        if isValidName(lower) { return lower }
        var result = ""
        for character in lower {
            if character.isASCII && (character.isLetter || character.isNumber) {
                result.append(character)
            } else if !result.isEmpty && result.last != "-" {
                result.append("-")
            }
        }
        while result.last == "-" { result.removeLast() }
        return result.isEmpty ? "image" : String(result.prefix(128))
    }
}
