import Foundation
import ImageFormat

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ContainerRunner {
    /// Where the healthcheck runs.
    public enum HealthcheckMode: Sendable, Hashable {
        /// Start the container's entrypoint and check it while it runs, as Docker does (default).
        case alongsideEntrypoint
        /// Run only the check command, once, in its own container (for images with no long-running process).
        case standalone
    }

    /// Runs the image's healthcheck with Docker's rules (timeout, start period, retries) and reports
    /// healthy as soon as one check exits 0; `options` apply to the container as for `run`.
    public func healthcheck(
        rootfs: String, image: ImageConfiguration, options: RunOptions = RunOptions(),
        mode: HealthcheckMode = .alongsideEntrypoint
    ) async throws -> HealthcheckResult {
        try Self.requireRunnable(image)
        let root = try RootFilesystem(path: rootfs)
        guard let check = try Healthcheck(config: image.config, rootfs: root) else {
            return HealthcheckResult(status: .disabled, attempts: [], reason: "the image disables its healthcheck (NONE)", containerOutput: "")
        }
        var options = options
        options.io = .capture
        options.tty = false
        switch mode {
        case .standalone:
            options.entrypoint = check.command
            options.args = []
            options.timeout = check.timeout
            let result = try await run(rootfs: root, config: image.config, options: options)
            let attempt = HealthcheckResult.Attempt(
                exitCode: result.exitCode, output: result.stdoutText + result.stderrText, timedOut: result.timedOut)
            let healthy = result.exitCode == 0 && !result.timedOut
            return HealthcheckResult(
                status: healthy ? .healthy : .unhealthy, attempts: [attempt],
                reason: healthy ? "the check exited 0" : describe(attempt, check: check), containerOutput: "")
        case .alongsideEntrypoint:
            return try await checkAlongside(root: root, config: image.config, options: options, check: check)
        }
    }

    private func checkAlongside(
        root: RootFilesystem, config: ContainerConfig?, options: RunOptions, check: Healthcheck
    ) async throws -> HealthcheckResult {
        try Self.requireRoot()
        await AbandonedBundles.sweepOnce(runc: runc)
        let id = Runc.makeContainerID()
        let bundle = try RuntimeBundle(rootfs: root, config: config, options: options, cgroupsPath: "/distill/\(id)")
        let outcome: Result<HealthcheckResult, any Error>
        do {
            let app = try runc.startRun(bundle: bundle, id: id, io: .capture)
            let verdict: Result<HealthcheckResult, any Error>
            do {
                verdict = .success(try await probe(app: app, bundle: bundle, id: id, check: check))
            } catch {
                verdict = .failure(error)
            }
            await Self.terminate(app, id: id, runc: runc)
            let finished = await app.wait()
            outcome = verdict.map { result in
                var result = result
                result.containerOutput = String(decoding: finished.stdout + finished.stderr, as: UTF8.self)
                return result
            }
        } catch {
            outcome = .failure(error)
        }
        _ = await cleanUp(bundle: bundle, id: id)
        return try outcome.get()
    }

    private func probe(app: Subprocess, bundle: RuntimeBundle, id: String, check: Healthcheck) async throws
        -> HealthcheckResult
    {
        // Wait for runc to have started the entrypoint, or to have failed doing so.
        while await runc.state(id: id) != "running" {
            if app.hasExited || Task.isCancelled { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard var process = bundle.spec.process else { throw RuntimeError.noCommand }
        process.args = check.command
        process.terminal = false
        let processFile = try bundle.writeProcess(process, name: "healthcheck.json")

        let clock = ContinuousClock()
        let started = clock.now
        var attempts: [HealthcheckResult.Attempt] = []
        var failuresAfterStart = 0
        while true {
            try Task.checkCancellation()
            if app.hasExited {
                if let message = Runc.loggedError(logFile: bundle.directory + "/runc.log") { throw Runc.classify(message) }
                let code = await app.wait().exitCode
                return HealthcheckResult(
                    status: .unhealthy, attempts: attempts,
                    reason: "the container's process exited (code \(code)) before the healthcheck passed", containerOutput: "")
            }
            let attempt = try await execOnce(bundle: bundle, id: id, processFile: processFile, timeout: check.timeout)
            attempts.append(attempt)
            if attempt.exitCode == 0 && !attempt.timedOut {
                return HealthcheckResult(
                    status: .healthy, attempts: attempts,
                    reason: "the check exited 0 on try \(attempts.count)", containerOutput: "")
            }
            if clock.now - started >= check.startPeriod { failuresAfterStart += 1 }
            if failuresAfterStart >= check.retries {
                return HealthcheckResult(
                    status: .unhealthy, attempts: attempts,
                    reason: "\(failuresAfterStart) consecutive failures; last: \(describe(attempt, check: check))",
                    containerOutput: "")
            }
            try await Task.sleep(for: check.pause)
        }
    }

    private func execOnce(bundle: RuntimeBundle, id: String, processFile: String, timeout: Duration) async throws
        -> HealthcheckResult.Attempt
    {
        let logFile = bundle.directory + "/runc-exec.log"
        try? FileManager.default.removeItem(atPath: logFile)
        let exec = try runc.startExec(bundle: bundle, id: id, processFile: processFile)
        let timedOut = Flag()
        let timer = Task {
            try await Task.sleep(for: timeout)
            timedOut.set()
            exec.send(SIGKILL)
        }
        let outcome = await exec.wait()
        timer.cancel()
        var output = String(decoding: outcome.stdout + outcome.stderr, as: UTF8.self)
        if outcome.exitCode != 0, !timedOut.isSet, let message = Runc.loggedError(logFile: logFile) {
            output += (output.isEmpty ? "" : "\n") + "runc: " + message
        }
        return .init(exitCode: outcome.exitCode, output: output, timedOut: timedOut.isSet)
    }

    private func describe(_ attempt: HealthcheckResult.Attempt, check: Healthcheck) -> String {
        if attempt.timedOut { return "the check did not finish within \(check.timeout)" }
        return "the check exited \(attempt.exitCode)"
    }
}
