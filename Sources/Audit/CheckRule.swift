/// A hardening rule: a stable id, a level, what it looks for and how to fix what it finds.
public struct CheckRule: Codable, Hashable, Sendable {
    /// How serious a finding is; the names are SARIF's levels.
    public enum Level: String, Codable, Hashable, Sendable, Comparable, CaseIterable {
        case note, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Never changes once released (`DI001`); ignore files and dashboards key on it.
    public var id: String
    /// A readable alias accepted wherever the id is (`root-user`).
    public var name: String
    public var level: Level
    /// What the rule looks for, in one line.
    public var summary: String
    /// What to do about a finding.
    public var fix: String

    public init(id: String, name: String, level: Level, summary: String, fix: String) {
        self.id = id
        self.name = name
        self.level = level
        self.summary = summary
        self.fix = fix
    }
}

extension CheckRule {
    public static let rootUser = CheckRule(
        id: "DI001", name: "root-user", level: .error, summary: "The image runs as root.",
        fix: "Set a non-root user (user: nonroot in distill.yaml, USER 65532 in a Dockerfile).")
    public static let shell = CheckRule(
        id: "DI002", name: "shell", level: .warning, summary: "A shell is present.",
        fix: "Build on a distroless preset and leave shells out; use a separate debug variant when you need one.")
    public static let packageManager = CheckRule(
        id: "DI003", name: "package-manager", level: .warning, summary: "A package manager is present (dpkg, apt, apk, pip).",
        fix: "Install packages at build time and leave the package manager out of the final image.")
    public static let setuid = CheckRule(
        id: "DI004", name: "setuid-setgid", level: .warning, summary: "A file has the setuid or setgid bit.",
        fix: "Remove the file or clear the bit (chmod u-s,g-s) unless the image truly needs it.")
    public static let worldWritable = CheckRule(
        id: "DI005", name: "world-writable", level: .warning, summary: "A file or directory outside /tmp is writable by everyone.",
        fix: "Remove write permission for others (chmod o-w).")
    public static let privateKey = CheckRule(
        id: "DI006", name: "private-key", level: .error, summary: "A private key is stored in the image.",
        fix: "Remove the key from the image and rotate it; mount keys at run time as secrets.")
    public static let cloudCredentials = CheckRule(
        id: "DI007", name: "cloud-credentials", level: .error, summary: "Cloud or registry credentials are stored in the image.",
        fix: "Remove the credentials file and rotate what it holds; give the container credentials at run time.")
    public static let envFile = CheckRule(
        id: "DI008", name: "env-file", level: .error, summary: "A .env file is stored in the image.",
        fix: "Exclude .env files from the build context (exclude: in distill.yaml, .dockerignore) and pass settings at run time.")
    public static let gitDirectory = CheckRule(
        id: "DI009", name: "git-directory", level: .warning, summary: "A .git directory is stored in the image.",
        fix: "Exclude .git from what is copied into the image.")
    public static let secretEnvironment = CheckRule(
        id: "DI010", name: "secret-env", level: .error, summary: "An environment variable looks like it holds a secret.",
        fix: "Do not bake secrets into the image configuration; pass them at run time or mount them as files.")
    public static let noHealthcheck = CheckRule(
        id: "DI011", name: "no-healthcheck", level: .note, summary: "The image exposes ports but has no healthcheck.",
        fix: "Add a healthcheck (healthcheck: in distill.yaml, HEALTHCHECK in a Dockerfile).")
    public static let duplicateID = CheckRule(
        id: "DI012", name: "duplicate-id", level: .warning, summary: "Two users share a uid, or two groups a gid.",
        fix: "Give every user and group its own id in /etc/passwd and /etc/group.")
    public static let emptyPassword = CheckRule(
        id: "DI013", name: "empty-password", level: .error, summary: "An account has an empty password.",
        fix: "Lock the account (a '*' or '!' password field) or remove it.")
    public static let missingEntrypoint = CheckRule(
        id: "DI014", name: "entrypoint-missing", level: .error, summary: "The entrypoint (or command) is not in the image.",
        fix: "Add the program to the image or correct the entrypoint's path.")
    public static let debugImage = CheckRule(
        id: "DI015", name: "debug-image", level: .error, summary: "A debug image (a busybox shell under /busybox): not for production.",
        fix: "Ship the variant without `debug: true`; keep the debug image for troubleshooting only.")

    /// Every rule, in id order.
    public static let all: [CheckRule] = [
        rootUser, shell, packageManager, setuid, worldWritable, privateKey, cloudCredentials, envFile, gitDirectory,
        secretEnvironment, noHealthcheck, duplicateID, emptyPassword, missingEntrypoint, debugImage,
    ]
}

/// One thing a rule found.
public struct Finding: Codable, Hashable, Sendable {
    public var ruleID: String
    public var rule: String
    public var level: CheckRule.Level
    public var message: String
    /// A path in the image (`/usr/bin/sh`), or a configuration field (`config.User`, `config.Env.TOKEN`).
    public var location: String

    public init(_ rule: CheckRule, _ message: String, at location: String) {
        ruleID = rule.id
        self.rule = rule.name
        level = rule.level
        self.message = message
        self.location = location
    }
}
