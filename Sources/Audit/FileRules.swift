import Archive
import SBOM

/// Rules that read the final file tree: shells, package managers, modes, secrets and accounts.
enum FileRules {
    static let shells = ["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox"]
    static let binaryDirectories = ["bin", "usr/bin", "sbin", "usr/sbin", "usr/local/bin"]
    /// What marks a debug image: busybox's shell under `/busybox`, as distroless's `:debug` images (and distill's
    /// `debug: true` variants) have it; reported as DI015 rather than as one more shell.
    static let debugShells = ["busybox/sh", "busybox/busybox"]
    static let packageManagers = ["dpkg", "apt", "apt-get", "apk", "pip", "pip3", "yum", "dnf", "microdnf", "rpm"]
    static let credentialSuffixes = [
        ".aws/credentials", ".config/gcloud/application_default_credentials.json", ".config/gcloud/credentials.db",
        ".azure/accessTokens.json", ".docker/config.json", ".kube/config", ".git-credentials", ".netrc", ".pypirc",
    ]

    static func evaluate(tree: FileTree, secrets: [String: Set<SecretScanner.Kind>], accounts: Accounts) -> [Finding] {
        var findings: [Finding] = []
        findings += programs(shells, in: tree).map { Finding(.shell, "a shell is present: \($0.name)", at: "/" + $0.path) }
        if let shell = debugShells.lazy.compactMap({ tree.resolve($0) }).first(where: { isProgram($0.kind) }) {
            findings.append(Finding(.debugImage, "a debug image (busybox shell under /busybox): not for production", at: "/" + shell.path))
        }
        findings += programs(packageManagers, in: tree, pythonPip: true).map {
            Finding(.packageManager, "package manager \($0.name) is present", at: "/" + $0.path)
        }
        for entry in tree.entries {
            let path = "/" + entry.path
            let name = ArchivePath.basename(of: entry.path)
            switch entry.kind {
            case .regular:
                if entry.permissions & 0o6000 != 0 {
                    let bits = [entry.permissions & 0o4000 != 0 ? "setuid" : nil, entry.permissions & 0o2000 != 0 ? "setgid" : nil]
                    findings.append(Finding(.setuid, "\(bits.compactMap { $0 }.joined(separator: " and ")) file (mode \(String(entry.permissions, radix: 8)))", at: path))
                }
                if isEnvFile(name) { findings.append(Finding(.envFile, "an environment file is stored in the image", at: path)) }
                if credentialSuffixes.contains(where: { entry.path.hasSuffix($0) }) {
                    findings.append(Finding(.cloudCredentials, "a credentials file is stored in the image", at: path))
                }
            case .directory:
                if name == ".git" { findings.append(Finding(.gitDirectory, "a git repository is stored in the image", at: path)) }
            default:
                break
            }
            let isLink: Bool
            if case .symlink = entry.kind { isLink = true } else { isLink = false }
            if !isLink, entry.permissions & 0o002 != 0, !isTemporary(entry.path) {
                findings.append(Finding(.worldWritable, "writable by everyone (mode \(String(entry.permissions, radix: 8)))", at: path))
            }
        }
        for (path, kinds) in secrets.sorted(by: { $0.key < $1.key }) {
            if kinds.contains(.privateKey) { findings.append(Finding(.privateKey, "a private key is stored in the image", at: "/" + path)) }
            if kinds.contains(.awsAccessKey) && !credentialSuffixes.contains(where: { path.hasSuffix($0) }) {
                findings.append(Finding(.cloudCredentials, "an AWS access key id is stored in the image", at: "/" + path))
            }
        }
        findings += accountFindings(accounts)
        return findings
    }

    /// Distinct programs (after symlinks) found under the usual binary directories.
    private static func programs(_ names: [String], in tree: FileTree, pythonPip: Bool = false) -> [(name: String, path: String)] {
        var seen: Set<String> = []
        var result: [(String, String)] = []
        for directory in binaryDirectories {
            for name in names {
                guard let entry = tree.resolve("\(directory)/\(name)"), isProgram(entry.kind), seen.insert(entry.path).inserted else { continue }
                result.append((name, entry.path))
            }
        }
        if pythonPip {
            for entry in tree.entries where entry.path.hasSuffix("-packages/pip/__init__.py") && seen.insert(entry.path).inserted {
                result.append(("pip (Python module)", String(entry.path.dropLast("/__init__.py".count))))
            }
        }
        return result
    }

    private static func isProgram(_ kind: EntryKind) -> Bool {
        switch kind {
        case .regular, .hardlink: return true
        default: return false
        }
    }

    private static func isEnvFile(_ name: String) -> Bool {
        if name == ".env" { return true }
        guard name.hasPrefix(".env.") else { return false }
        return ![".env.example", ".env.sample", ".env.template", ".env.dist"].contains(name)
    }

    private static func isTemporary(_ path: String) -> Bool {
        ["tmp", "var/tmp", "dev/shm", "var/lock", "run/lock"].contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    private static func accountFindings(_ accounts: Accounts) -> [Finding] {
        var findings: [Finding] = []
        var uids: [Int64: [String]] = [:]
        for user in accounts.users { if let uid = user.uid { uids[uid, default: []].append(user.name) } }
        for (uid, names) in uids.sorted(by: { $0.key < $1.key }) where names.count > 1 {
            findings.append(Finding(.duplicateID, "uid \(uid) is shared by \(names.joined(separator: ", "))", at: "/etc/passwd"))
        }
        var gids: [Int64: [String]] = [:]
        for group in accounts.groups { if let gid = group.gid { gids[gid, default: []].append(group.name) } }
        for (gid, names) in gids.sorted(by: { $0.key < $1.key }) where names.count > 1 {
            findings.append(Finding(.duplicateID, "gid \(gid) is shared by \(names.joined(separator: ", "))", at: "/etc/group"))
        }
        for user in accounts.users where user.password.isEmpty {
            findings.append(Finding(.emptyPassword, "user \(user.name) has no password in /etc/passwd", at: "/etc/passwd"))
        }
        for entry in accounts.shadow where entry.password.isEmpty {
            findings.append(Finding(.emptyPassword, "user \(entry.name) has an empty password in /etc/shadow", at: "/etc/shadow"))
        }
        return findings
    }
}
