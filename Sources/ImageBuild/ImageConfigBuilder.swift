import Foundation
import ImageFormat

/// Turns a build file's runtime settings into the OCI image configuration.
enum ImageConfigBuilder {
    /// The user the image runs as (the parser has checked it; this names the file if a caller skipped that).
    static func user(_ build: BuildFile) throws(BuildError) -> ImageUser {
        guard let user = ImageUser(build.user, accounts: build.accounts) else { throw .invalidUser(file: build.path, user: build.user) }
        return user
    }

    /// Where the image starts when `workdir:` is not set: the home folder the preset makes for its user
    /// (`/home/nonroot`, `/root`, `/home/<name>` of an account), else `/`.
    static func defaultWorkdir(_ build: BuildFile) -> String {
        guard let uid = ImageUser(build.user, accounts: build.accounts)?.uid else { return "/" }
        if uid == Preset.nonrootUID { return "/home/nonroot" }
        if uid == 0 { return "/root" }
        if let account = build.accounts.users.first(where: { $0.name == build.user }) ?? build.accounts.users.first(where: { $0.uid == uid }),
            account.home.hasPrefix("/home/")
        {
            return account.home
        }
        return "/"
    }

    /// The configuration for one architecture; `rootfs` is filled in when the layers are known.
    static func configuration(
        _ build: BuildFile, architecture: String, created: String, layerComments: [String]
    ) throws(BuildError) -> ImageConfiguration {
        let platform = Platform(debianArchitecture: architecture)
        var env = ["PATH": build.debug ? DebugShell.path(Preset.path) : Preset.path, "SSL_CERT_FILE": "/" + Preset.certificateBundle]
        for (key, value) in build.env { env[key] = value }
        // PATH first, then the rest by name: stable, and what people look for first.
        let envList = (["PATH"] + env.keys.filter { $0 != "PATH" }.sorted()).map { "\($0)=\(env[$0]!)" }
        var health: HealthConfig?
        if let check = build.healthcheck {
            func ns(_ seconds: Int?) -> Int64? { seconds.map { Int64($0) * 1_000_000_000 } }
            health = HealthConfig(
                test: ["CMD"] + check.command, interval: ns(check.intervalSeconds), timeout: ns(check.timeoutSeconds),
                startPeriod: ns(check.startPeriodSeconds), retries: check.retries)
        }
        let config = ContainerConfig(
            user: try user(build).value,
            exposedPorts: build.expose.isEmpty ? nil : Dictionary(uniqueKeysWithValues: build.expose.map { ($0, EmptyObject()) }),
            env: envList, entrypoint: build.entrypoint, cmd: build.cmd,
            workingDir: build.workdir ?? defaultWorkdir(build),
            labels: build.labels.isEmpty ? nil : build.labels, healthcheck: health)
        return ImageConfiguration(
            created: created, architecture: platform.architecture, os: "linux", variant: platform.variant, config: config,
            rootfs: RootFS(diffIDs: []),
            history: layerComments.map { History(created: created, createdBy: "distill \($0)", comment: $0) })
    }

    /// RFC 3339 in UTC for a Unix time.
    static func timestamp(_ epoch: Int64) -> String {
        RFC3339.string(epoch)
    }
}
