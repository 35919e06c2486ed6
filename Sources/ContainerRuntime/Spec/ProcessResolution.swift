import Foundation
import ImageFormat

/// Turns an image's runtime defaults plus `RunOptions` into the concrete command, environment,
/// working directory and identity of the container's process, with Docker's override rules.
public enum ProcessResolution {
    /// PATH when the image sets none (Docker's and runc's default).
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The argv: `--entrypoint` replaces Entrypoint and clears Cmd; args replace Cmd.
    public static func arguments(config: ContainerConfig?, options: RunOptions) throws -> [String] {
        let entrypoint: [String]
        let command: [String]
        if let override = options.entrypoint {
            entrypoint = override
            command = options.args ?? []
        } else {
            entrypoint = config?.entrypoint ?? []
            command = options.args ?? config?.cmd ?? []
        }
        let argv = entrypoint + command
        guard let first = argv.first, !first.isEmpty else { throw RuntimeError.noCommand }
        return argv
    }

    /// The environment: image Env, then overrides (same key replaced in place, new keys appended),
    /// then PATH and HOME defaults when still missing.
    public static func environment(
        config: ContainerConfig?, overrides: [String], home: String,
        hostEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [String] {
        var entries: [(key: String, value: String)] = []
        func set(_ key: String, _ value: String) {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                entries[index].value = value
            } else {
                entries.append((key, value))
            }
        }
        for entry in config?.env ?? [] {
            let (key, value) = split(entry)
            set(key, value ?? "")
        }
        for entry in overrides {
            let (key, value) = split(entry)
            guard !key.isEmpty, !key.contains("\0") else { throw RuntimeError.invalidEnvironment(entry) }
            if let value {
                set(key, value)
            } else if let inherited = hostEnvironment[key] {
                set(key, inherited)
            }
        }
        if !entries.contains(where: { $0.key == "PATH" }) { set("PATH", defaultPath) }
        if !entries.contains(where: { $0.key == "HOME" }) { set("HOME", home) }
        return entries.map { "\($0.key)=\($0.value)" }
    }

    /// The working directory: `--workdir`, else the image's WorkingDir, else `/`.
    public static func workingDirectory(config: ContainerConfig?, options: RunOptions) throws -> String {
        let directory = options.workdir ?? config?.workingDir ?? ""
        if directory.isEmpty { return "/" }
        guard directory.hasPrefix("/") else { throw RuntimeError.invalidWorkingDirectory(directory) }
        return directory
    }

    /// The identity: `--user`, else the image's User, resolved against the image's passwd/group.
    public static func user(config: ContainerConfig?, options: RunOptions, users: UserDatabase) throws -> ResolvedUser {
        try users.resolve(options.user ?? config?.user)
    }

    private static func split(_ entry: String) -> (String, String?) {
        guard let equals = entry.firstIndex(of: "=") else { return (entry, nil) }
        return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
    }
}
