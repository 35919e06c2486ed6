import ImageFormat
import SBOM

/// Rules that read the image configuration (and the files it names).
enum ConfigRules {
    static func evaluate(_ config: ContainerConfig?, tree: FileTree, accounts: Accounts) -> [Finding] {
        var findings: [Finding] = []
        if let reason = rootReason(config?.user, accounts: accounts) {
            findings.append(Finding(.rootUser, reason, at: "config.User"))
        }
        let health = config?.healthcheck?.test ?? []
        if !(config?.exposedPorts ?? [:]).isEmpty && (health.isEmpty || health == ["NONE"]) {
            let ports = (config?.exposedPorts ?? [:]).keys.sorted().joined(separator: ", ")
            findings.append(Finding(.noHealthcheck, "the image exposes \(ports) but has no healthcheck", at: "config.Healthcheck"))
        }
        for variable in config?.env ?? [] {
            let parts = variable.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            if let why = secretReason(name: name, value: value) {
                findings.append(Finding(.secretEnvironment, "environment variable \(name) \(why)", at: "config.Env.\(name)"))
            }
        }
        if let program = (config?.entrypoint?.first ?? config?.cmd?.first), !program.isEmpty,
            !exists(program, tree: tree, config: config)
        {
            let field = config?.entrypoint?.first != nil ? "entrypoint" : "command"
            findings.append(Finding(.missingEntrypoint, "the \(field) '\(program)' is not in the image", at: program))
        }
        return findings
    }

    /// Why `user` means root, or nil: empty, `root`, `0`, with any group, or a name /etc/passwd gives uid 0.
    static func rootReason(_ user: String?, accounts: Accounts) -> String? {
        let text = (user ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return "no user is set, so it runs as root" }
        let name = String(text.split(separator: ":", maxSplits: 1).first ?? "")
        if name == "root" || name == "0" { return "it runs as root (user '\(text)')" }
        if let uid = accounts.users.first(where: { $0.name == name })?.uid, uid == 0 {
            return "it runs as root (user '\(text)' has uid 0 in /etc/passwd)"
        }
        return nil
    }

    private static let secretNames = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL"]
    private static let secretPrefixes = ["ghp_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "sk_live_", "-----BEGIN"]

    /// Why a variable looks like a secret (never quoting its value), or nil.
    static func secretReason(name: String, value: String) -> String? {
        if value.isEmpty { return nil }
        if SecretPatterns.hasAWSAccessKey(value) { return "holds an AWS access key id" }
        if secretPrefixes.contains(where: { value.hasPrefix($0) }) { return "holds a value shaped like a token or key" }
        let upper = name.uppercased()
        // A path to a secret mounted at run time is the right way, not a leak.
        if upper.hasSuffix("_FILE") || upper.hasSuffix("_PATH") || upper.hasSuffix("_DIR") { return nil }
        if secretNames.contains(where: { upper.contains($0) }) { return "has a secret-looking name and a value" }
        return nil
    }

    /// Whether the program exists as a file, by path or along the image's PATH.
    static func exists(_ program: String, tree: FileTree, config: ContainerConfig?) -> Bool {
        func isFile(_ path: String) -> Bool {
            guard let entry = tree.resolve(path) else { return false }
            switch entry.kind {
            case .regular, .hardlink: return true
            default: return false
            }
        }
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : (config?.workingDir ?? "/") + "/" + program
            return isFile(path)
        }
        let path = (config?.env ?? []).first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) }
            ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { isFile("\($0)/\(program)") }
    }
}
