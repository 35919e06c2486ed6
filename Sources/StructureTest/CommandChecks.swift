import ContainerRuntime
import Foundation
import ImageFormat

/// Command tests: each runs in its own container from the image, with a throw-away writable layer
/// (as container-structure-test's Docker driver gives it), the image's env, user and working dir,
/// and `command`+`args` in place of the entrypoint.
struct CommandChecks {
    let rootfs: RootFilesystem
    let config: ContainerConfig?
    /// The runner, or why there is none (no runc, not root): then every command test fails with that reason.
    let runner: Result<ContainerRunner, RuntimeError>
    let timeout: Duration

    func run(_ test: StructureTestFile.CommandTest, in file: StructureTestFile) async -> StructureTestResult {
        let clock = ContinuousClock()
        let started = clock.now
        var result = await check(test, in: file)
        result.duration = clock.now - started
        return result
    }

    private func check(_ test: StructureTestFile.CommandTest, in file: StructureTestFile) async -> StructureTestResult {
        var result = StructureTestResult(kind: .command, name: test.name, file: file.path)
        let runner: ContainerRunner
        switch self.runner {
        case .success(let found): runner = found
        case .failure(let error):
            result.fail("cannot run commands: \(error)")
            return result
        }

        let imageEnv = EnvExpansion.dictionary(config?.env ?? [])
        var overrides = (file.globalEnvVars + test.envVars).map { "\($0.key)=\(EnvExpansion.expand($0.value, with: imageEnv))" }
        overrides += file.containerRunOptions.envVars
        func options(_ argv: [String]) -> RunOptions {
            RunOptions(
                entrypoint: argv.map { EnvExpansion.expand($0, with: imageEnv) }, args: [], env: overrides,
                user: file.containerRunOptions.user, readOnlyRoot: false, io: .capture, timeout: timeout, tmpfs: [])
        }

        // Setup and teardown share the test command's writable layer, so their changes are seen.
        var layer: WritableLayer?
        if !test.setup.isEmpty || !test.teardown.isEmpty {
            do {
                layer = try WritableLayer(rootfs: rootfs)
            } catch {
                result.fail("cannot prepare the container: \(error)")
                return result
            }
        }
        defer { try? layer?.remove() }

        for command in test.setup {
            let step = await execute(runner, options(command), layer: layer)
            if let problem = step.problem(expectingExit: 0) {
                result.fail("setup command \(command) \(problem)")
                return result
            }
        }

        let outcome = await execute(runner, options(test.command), layer: layer)
        result.stdout = outcome.stdout
        result.stderr = outcome.stderr
        if let error = outcome.error {
            result.fail("\(error)")
        } else if outcome.timedOut {
            result.fail("did not finish within \(timeout) and was killed")
        } else {
            for failure in RegexChecks.check(expected: test.expectedOutput, excluded: test.excludedOutput, in: outcome.stdout, what: "stdout") {
                result.fail(failure)
            }
            for failure in RegexChecks.check(expected: test.expectedError, excluded: test.excludedError, in: outcome.stderr, what: "stderr") {
                result.fail(failure)
            }
            if outcome.exitCode != test.exitCode {
                result.fail("exit code \(outcome.exitCode), expected \(test.exitCode)")
            }
        }

        for command in test.teardown {
            let step = await execute(runner, options(command), layer: layer)
            if let problem = step.problem(expectingExit: 0) {
                result.fail("teardown command \(command) \(problem)")
            }
        }
        return result
    }

    /// What one container run gave, with start failures turned into Docker's exit codes and stderr.
    private struct Step {
        var exitCode: Int32 = -1
        var stdout = ""
        var stderr = ""
        var timedOut = false
        var error: RuntimeError?

        func problem(expectingExit code: Int32) -> String? {
            if let error { return "failed: \(error)" }
            if timedOut { return "timed out" }
            if exitCode != code { return "exited \(exitCode): \(excerpt(stderr, limit: 300))" }
            return nil
        }
    }

    private func execute(_ runner: ContainerRunner, _ options: RunOptions, layer: WritableLayer?) async -> Step {
        do {
            let result = try await runner.run(rootfs: rootfs, config: config, options: options, layer: layer)
            return Step(exitCode: result.exitCode, stdout: result.stdoutText, stderr: result.stderrText, timedOut: result.timedOut)
        } catch let error as RuntimeError {
            // `docker run` of a missing binary exits 127 with the reason on stderr; tests may expect that.
            if case .containerFailedToStart(let message) = error {
                return Step(exitCode: error.dockerStyleExitCode, stderr: message)
            }
            return Step(error: error)
        } catch {
            // The runner only throws RuntimeError, or CancellationError when the run is being cancelled.
            return Step(error: .cancelled)
        }
    }
}
