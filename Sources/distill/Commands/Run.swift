import ArgumentParser
import ContainerRuntime
import Foundation
import ImageTransport

/// `distill run IMAGE [-- ARGS…]`: run an image in runc, read-only, as its user.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an image with runc: read-only root (writable /tmp), seccomp, limits, no new privileges, no network unless --network host.",
        discussion: "The exit code and output of the container's process are passed through. Needs root and runc (apt-get install runc).")

    @Argument(help: "The image, e.g. oci:build/app.")
    var image: String

    @OptionGroup var registry: RegistryFlags

    @Option(help: "none (default) or host.")
    var network: RunOptions.Network = .none

    @Option(help: "Replace the image's entrypoint (and its cmd); '' clears it, so the arguments after -- are the command.")
    var entrypoint: String?

    @Option(help: "Run as this user (name or uid[:gid]) instead of the image's.")
    var user: String?

    @Option(help: "Set an environment variable: K=V, or K alone to pass distill's own value of K (repeatable).")
    var env: [String] = []

    @Option(help: "Working directory inside the container.")
    var workdir: String?

    @Flag(name: [.customShort("t"), .long], help: "Give the container a terminal (as docker run -t); its stdout and stderr are then one stream.")
    var tty = false

    @Flag(help: "Run the image's healthcheck once and report healthy (exit 0) or unhealthy (exit 1).")
    var healthcheck = false

    @Option(name: .customLong("read-only"), help: "Keep the root filesystem read-only (--read-only=false gives a throw-away writable layer).")
    var readOnly = true

    @Option(help: "A writable in-memory directory (repeatable); /tmp always is one.")
    var tmpfs: [String] = []

    @Option(help: "Seconds the container gets after SIGTERM/SIGINT before it is killed.")
    var stopTimeout: Int = 10

    @Flag(help: "Run a minimal init (tini) as PID 1 that forwards signals and reaps zombies.")
    var `init` = false

    @Option(help: "Most processes and threads the container may have (0: no limit).")
    var pidsLimit: Int64 = RunOptions.defaultPidsLimit

    @Option(help: "Memory limit, e.g. 512m or 4g (0: no limit).")
    var memory: String = "2g"

    @Argument(parsing: .postTerminator, help: "Arguments after --: they replace the image's cmd.")
    var args: [String] = []

    func validate() throws {
        if entrypoint == "" && args.isEmpty {
            throw ValidationError("--entrypoint '' clears the image's entrypoint and cmd, so give the command after --: distill run --entrypoint '' IMAGE -- PROGRAM ARGS…")
        }
    }

    func run() async throws {
        try registry.install(credentialsFor: try? ImageReference(parsing: image))
        try ContainerRunner.requireRoot()
        guard stopTimeout >= 0 else { throw ValidationError("--stop-timeout must be 0 or more seconds") }
        guard pidsLimit >= 0 else { throw ValidationError("--pids-limit must be 0 (no limit) or more") }
        guard let memoryBytes = ByteSize.parse(memory) else {
            throw ValidationError("--memory '\(memory)' is not a size (e.g. 512m, 2g, or 0 for no limit)")
        }
        let options = RunOptions(
            entrypoint: entrypoint.map { $0.isEmpty ? [] : [$0] }, args: args.isEmpty ? nil : args, env: env, user: user,
            workdir: workdir, network: network, readOnlyRoot: readOnly, io: .inherit, tty: tty,
            tmpfs: ["/tmp"] + tmpfs.filter { $0 != "/tmp" }, pidsLimit: pidsLimit == 0 ? nil : pidsLimit,
            memoryLimit: memoryBytes == 0 ? nil : memoryBytes, stopTimeout: .seconds(stopTimeout), useInit: `init`)
        let code: Int32
        do {
            code = try await ImageRootfs.with(image) { unpacked in
                let runner = try ContainerRunner()
                if healthcheck {
                    let result = try await runner.healthcheck(rootfs: unpacked.rootfs, image: unpacked.image.configuration, options: options)
                    print(result)
                    return result.status == .healthy ? 0 : 1
                }
                return try await runner.run(rootfs: unpacked.rootfs, image: unpacked.image.configuration, options: options).exitCode
            }
        } catch let error as RuntimeError {
            throw ContainerFailure(error, runcPrintedIt: !healthcheck)
        }
        if code != 0 { throw ExitCode(code) }
    }
}

extension RunOptions.Network: ExpressibleByArgument {}
