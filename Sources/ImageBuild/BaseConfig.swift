import Foundation
import ImageFormat

/// Merges a base image's configuration into the one the build file makes.
///
/// Environment: the base's variables, each replaced by the build file's `env:` of the same name; distill's default
/// `PATH` only where neither sets one (its `SSL_CERT_FILE` is left out: the base's files are its own). `user`, `workdir`: the build file's when it writes
/// them, else the base's. `entrypoint`/`cmd`: the build file's when it writes either (as a Dockerfile's ENTRYPOINT
/// clears an inherited CMD), else the base's. Labels, exposed ports and volumes: the base's with the build file's
/// on top. Healthcheck and stop signal: the build file's, else the base's. The base's history comes first.
enum BaseConfig {
    static func merge(_ built: ImageConfiguration, base: ImageConfiguration, build: BuildFile) -> ImageConfiguration {
        var result = built
        var config = built.config ?? ContainerConfig()
        let inherited = base.config ?? ContainerConfig()

        var order: [String] = []
        var values: [String: String] = [:]
        func set(_ entry: String, replace: Bool) {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            if values[key] == nil { order.append(key) } else if !replace { return }
            values[key] = value
        }
        for entry in inherited.env ?? [] { set(entry, replace: true) }
        for (key, value) in build.env.sorted(by: { $0.key < $1.key }) { set("\(key)=\(value)", replace: true) }
        // Of distill's defaults only PATH, and only when neither sets one: the base's files are not distill's to point at.
        for entry in built.config?.env ?? [] where entry.hasPrefix("PATH=") { set(entry, replace: false) }
        config.env = order.isEmpty ? nil : order.map { "\($0)=\(values[$0] ?? "")" }

        if !build.written.contains("user"), let user = inherited.user, !user.isEmpty { config.user = user }
        if !build.written.contains("workdir"), let workdir = inherited.workingDir, !workdir.isEmpty { config.workingDir = workdir }
        if !build.written.contains("entrypoint") && !build.written.contains("cmd") {
            config.entrypoint = inherited.entrypoint
            config.cmd = inherited.cmd
        }
        if let labels = inherited.labels {
            config.labels = labels.merging(config.labels ?? [:]) { _, own in own }
        }
        if let ports = inherited.exposedPorts {
            config.exposedPorts = ports.merging(config.exposedPorts ?? [:]) { _, own in own }
        }
        if let volumes = inherited.volumes {
            config.volumes = volumes.merging(config.volumes ?? [:]) { _, own in own }
        }
        config.healthcheck = config.healthcheck ?? inherited.healthcheck
        config.stopSignal = config.stopSignal ?? inherited.stopSignal
        result.config = config
        result.history = (base.history ?? []) + (built.history ?? [])
        return result
    }
}
