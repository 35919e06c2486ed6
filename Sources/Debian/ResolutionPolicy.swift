/// What the resolver may pull in as a dependency, and whose dependencies it follows.
public struct ResolutionPolicy: Sendable, Equatable, Codable {
    /// Package names (or `prefix*` patterns) never pulled in as a dependency; a requested package is never excluded.
    public var excluded: [String]
    /// Packages used for their data only: selected, but their dependencies are not followed.
    public var dataOnly: [String]

    public init(excluded: [String], dataOnly: [String]) {
        self.excluded = Array(Set(excluded)).sorted()
        self.dataOnly = Array(Set(dataOnly)).sorted()
    }

    /// Shells: a distroless image has none, so nothing can `sh -c` inside it.
    public static let shells = [
        "bash", "dash", "busybox", "busybox-static", "zsh", "ksh", "ksh93u+m", "mksh", "posh", "yash", "tcsh", "csh", "fish", "sash",
    ]
    /// Package managers and their maintainer-script machinery.
    public static let packageManagers = ["dpkg", "apt", "apt-utils", "aptitude", "install-info"]
    /// Perl, which maintainer scripts and debconf pull in.
    public static let perl = ["perl", "perl-base", "perl-modules-*"]
    /// debconf and the virtual package its alternatives provide.
    public static let debconf = ["debconf", "debconf-2.0", "cdebconf", "debconf-i18n"]
    /// awk implementations: base-files Pre-Depends on awk only for its maintainer scripts.
    public static let awk = ["awk", "gawk", "mawk", "original-awk"]
    /// Data used only by interactive shells (readline's /etc/inputrc), which also pulls in dpkg.
    public static let interactiveOnly = ["readline-common"]

    /// The default: what Google's distroless images leave out; ca-certificates contributes only its CA bundle.
    public static let distroless = ResolutionPolicy(
        excluded: shells + packageManagers + perl + debconf + awk + interactiveOnly, dataOnly: ["ca-certificates"])

    /// Nothing excluded, every dependency followed (what apt would install).
    public static let complete = ResolutionPolicy(excluded: [], dataOnly: [])

    /// True if `name` matches an exclusion.
    public func isExcluded(_ name: String) -> Bool {
        for pattern in excluded {
            if pattern.hasSuffix("*") {
                if name.hasPrefix(pattern.dropLast()) { return true }
            } else if pattern == name {
                return true
            }
        }
        return false
    }

    /// True if `name`'s dependencies are not followed.
    public func isDataOnly(_ name: String) -> Bool { dataOnly.contains(name) }

    /// This policy with `names` removed from the exclusions (for packages the user asks for by name).
    public func allowing(_ names: [String]) -> ResolutionPolicy {
        ResolutionPolicy(excluded: excluded.filter { !names.contains($0) }, dataOnly: dataOnly)
    }
}
