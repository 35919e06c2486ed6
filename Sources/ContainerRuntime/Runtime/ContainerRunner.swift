import Foundation
import ImageFormat

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs containers from unpacked root filesystems with runc: the engine behind `distill run`.
public struct ContainerRunner: Sendable {
    /// The runc binary used.
    public let runc: Runc

    /// Uses an explicit runc.
    public init(runc: Runc) {
        self.runc = runc
    }

    /// Locates runc (PATH, /usr/sbin…, or `DISTILL_RUNC`); throws a helpful error when it is missing.
    public init() throws {
        self.runc = try Runc.locate()
    }

    /// Runs the image unpacked at `rootfs` with its configuration and `options`; returns its exit status.
    public func run(rootfs: String, image: ImageConfiguration, options: RunOptions = RunOptions()) async throws
        -> ContainerResult
    {
        try Self.requireRunnable(image)
        return try await run(rootfs: RootFilesystem(path: rootfs), config: image.config, options: options)
    }

    /// Refuses an image this machine cannot execute, instead of letting runc fail with a bare
    /// "exec format error" (which runc 1.1 prints on the container's stderr, not as its own error).
    public static func requireRunnable(_ image: ImageConfiguration) throws {
        let host = hostArchitecture
        guard image.os == "linux" else {
            throw RuntimeError.wrongPlatform(image: "\(image.os)/\(image.architecture)", host: "linux/\(host)")
        }
        let native: [String: Set<String>] = ["amd64": ["amd64", "386"], "arm64": ["arm64", "arm"]]
        if image.architecture == host || native[host, default: []].contains(image.architecture) { return }
        // A qemu-user handler registered with binfmt_misc runs foreign binaries transparently.
        let qemu = ["amd64": "x86_64", "arm64": "aarch64", "arm": "arm", "386": "i386", "ppc64le": "ppc64le",
                    "s390x": "s390x", "riscv64": "riscv64"][image.architecture] ?? image.architecture
        if FileManager.default.fileExists(atPath: "/proc/sys/fs/binfmt_misc/qemu-\(qemu)") { return }
        throw RuntimeError.wrongPlatform(image: "linux/\(image.architecture)", host: "linux/\(host)")
    }

    /// This machine's architecture in OCI terms (`amd64`, `arm64`…).
    public static var hostArchitecture: String { Platform.host.architecture }

    /// Runs one container; the bundle and the container are removed afterwards, also on error or cancel.
    public func run(rootfs: RootFilesystem, config: ContainerConfig?, options: RunOptions) async throws
        -> ContainerResult
    {
        try await run(rootfs: rootfs, config: config, options: options, layer: nil)
    }

    /// Runs one container whose writable layer is `layer` (shared with other runs) when given.
    public func run(rootfs: RootFilesystem, config: ContainerConfig?, options: RunOptions, layer: WritableLayer?) async throws
        -> ContainerResult
    {
        try Self.requireRoot()
        await AbandonedBundles.sweepOnce(runc: runc)
        let id = Runc.makeContainerID()
        let bundle = try RuntimeBundle(
            rootfs: rootfs, config: config, options: options, cgroupsPath: "/distill/\(id)", layer: layer)
        let outcome: Result<ContainerResult, any Error>
        do {
            outcome = .success(try await execute(bundle: bundle, id: id, options: options))
        } catch {
            outcome = .failure(error)
        }
        let problem = await cleanUp(bundle: bundle, id: id)
        var result = try outcome.get()
        result.cleanupProblem = problem
        return result
    }

    /// Removes containers, mounts and bundles left by distill processes that were killed mid-run.
    /// Done automatically before a process's first container; callable on its own (e.g. `distill run --cleanup`).
    public func removeAbandoned() async {
        await AbandonedBundles.sweepNow(runc: runc)
    }

    /// Containers need root: distill does not set up rootless runc (user namespaces, subuid ranges).
    /// Callers check it before unpacking an image, which needs root too.
    public static func requireRoot() throws {
        let uid = geteuid()
        guard uid == 0 else { throw RuntimeError.notRoot(uid: uid) }
    }

    /// Deletes the container and the bundle, returning what could not be cleaned instead of throwing.
    func cleanUp(bundle: RuntimeBundle, id: String) async -> String? {
        await runc.delete(id: id)
        do {
            try bundle.remove()
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func execute(bundle: RuntimeBundle, id: String, options: RunOptions) async throws -> ContainerResult {
        let clock = ContinuousClock()
        let started = clock.now
        let process = try runc.startRun(bundle: bundle, id: id, io: options.io == .inherit ? .inherit : .capture)
        let runc = self.runc
        // A stop signal starts the grace period once; the container is killed if still running at its end.
        let stopping = Flag()
        let grace = options.stopTimeout
        let forwarder = options.io == .inherit
            ? SignalForwarder(forwardingTo: process) { _ in
                guard stopping.setIfUnset() else { return }
                Task {
                    try? await Task.sleep(for: grace)
                    if !process.hasExited { await Self.terminate(process, id: id, runc: runc) }
                }
            }
            : nil
        defer { forwarder?.stop() }

        let timedOut = Flag()
        let timer = options.timeout.map { limit in
            Task {
                try await Task.sleep(for: limit)
                timedOut.set()
                await Self.terminate(process, id: id, runc: runc)
            }
        }
        let outcome = await withTaskCancellationHandler {
            await process.wait()
        } onCancel: {
            Task { await Self.terminate(process, id: id, runc: runc) }
        }
        timer?.cancel()
        try Task.checkCancellation()

        if outcome.exitCode != 0, !timedOut.isSet,
           let message = Runc.loggedError(logFile: bundle.directory + "/runc.log")
        {
            throw Runc.classify(message)
        }
        // Killed by distill (timeout): report SIGKILL's 137 whatever state runc was in when it was stopped.
        return ContainerResult(
            exitCode: timedOut.isSet ? 137 : outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr, timedOut: timedOut.isSet,
            duration: clock.now - started)
    }

    /// Kills the container (retrying while runc is still creating it), then runc itself as a last resort.
    static func terminate(_ process: Subprocess, id: String, runc: Runc) async {
        for _ in 0..<30 where !process.hasExited {
            if await runc.kill(id: id, signal: "KILL") { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        for _ in 0..<30 where !process.hasExited {
            try? await Task.sleep(for: .milliseconds(100))
        }
        process.send(SIGKILL)
    }
}
