import ContainerRuntime
import Foundation
import ImageFormat

/// Runs container-structure-test files against an unpacked image: the engine behind `distill test`.
public struct StructureTestRunner: Sendable {
    /// The container runner for command tests, or why none is available.
    private let runner: Result<ContainerRunner, RuntimeError>
    /// Longest a single command may run before it is killed and fails.
    public var commandTimeout: Duration

    /// Uses `runner` for command tests; by default locates runc (a missing runc only fails command tests).
    public init(runner: ContainerRunner? = nil, commandTimeout: Duration = .seconds(300)) {
        if let runner {
            self.runner = .success(runner)
        } else {
            do {
                self.runner = .success(try ContainerRunner())
            } catch let error as RuntimeError {
                self.runner = .failure(error)
            } catch {
                self.runner = .failure(.runcNotFound(searched: []))
            }
        }
        self.commandTimeout = commandTimeout
    }

    /// Parses every file first, so a typo in the last file is reported before anything runs.
    public static func load(_ paths: [String]) throws -> [StructureTestFile] {
        try paths.map { try StructureTestFile(contentsOf: $0) }
    }

    /// One call for `distill test`: load `configPaths`, run them, write JUnit XML when asked.
    /// Exit with 0 when `report.succeeded`, else 1.
    public func run(
        configPaths: [String], rootfs: String, image: ImageConfiguration, junitPath: String? = nil,
        progress: (@Sendable (StructureTestResult) -> Void)? = nil
    ) async throws -> StructureTestReport {
        let files = try Self.load(configPaths)
        let report = try await run(files: files, rootfs: rootfs, image: image, progress: progress)
        if let junitPath { try report.writeJUnit(to: junitPath) }
        return report
    }

    /// Runs the tests of each file in container-structure-test's order: commands, file existence,
    /// file contents, licenses, metadata. Test failures are results; only an unusable rootfs throws.
    public func run(
        files: [StructureTestFile], rootfs: String, image: ImageConfiguration,
        progress: (@Sendable (StructureTestResult) -> Void)? = nil
    ) async throws -> StructureTestReport {
        let root = try RootFilesystem(path: rootfs)
        let config = image.config
        let env = EnvExpansion.dictionary(config?.env ?? [])
        // File and metadata tests work on any image; commands need one this machine can execute.
        var runner = self.runner
        do {
            try ContainerRunner.requireRunnable(image)
        } catch let error as RuntimeError {
            runner = .failure(error)
        }
        let commands = CommandChecks(rootfs: root, config: config, runner: runner, timeout: commandTimeout)
        var results: [StructureTestResult] = []
        func record(_ result: StructureTestResult) {
            results.append(result)
            progress?(result)
        }
        for file in files {
            for test in file.commandTests {
                try Task.checkCancellation()
                record(await commands.run(test, in: file))
            }
            for test in file.fileExistenceTests {
                record(timed { FileChecks.existence(test, rootfs: root, env: env, file: file.path) })
            }
            for test in file.fileContentTests {
                record(timed { FileChecks.content(test, rootfs: root, env: env, file: file.path) })
            }
            for (index, _) in file.licenseTests.enumerated() {
                record(StructureTestResult(
                    kind: .license, name: "#\(index + 1)", file: file.path, outcome: .skipped,
                    messages: ["licenseTests are not checked by distill; every package's license is kept in the image at /usr/share/doc/<package>/copyright"]))
            }
            if let metadata = file.metadataTest {
                record(timed { MetadataChecks.check(metadata, config: config, file: file.path) })
            }
        }
        return StructureTestReport(results: results)
    }

    private func timed(_ body: () -> StructureTestResult) -> StructureTestResult {
        let clock = ContinuousClock()
        let started = clock.now
        var result = body()
        result.duration = clock.now - started
        return result
    }
}
