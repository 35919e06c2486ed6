import ArgumentParser
import ContainerRuntime
import Foundation
import ImageTransport
import StructureTest

/// `distill test IMAGE --config FILE…`: container-structure-test files against an image.
struct TestImage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run container-structure-test files (schemaVersion 1.0.0 and 2.0.0) against an image.",
        discussion: "File and metadata tests read the unpacked image; command tests run in runc. Exits 1 if any test fails.")

    @Argument(help: "The image, e.g. oci:build/app.")
    var image: String

    @OptionGroup var registry: RegistryFlags

    @Option(name: .customLong("config"), help: "A test file (repeatable).")
    var configs: [String] = []

    @Option(help: "Also write a JUnit XML report here.")
    var junit: String?

    func validate() throws {
        if configs.isEmpty { throw ValidationError("give at least one --config FILE") }
    }

    func run() async throws {
        try registry.install(credentialsFor: try? ImageReference(parsing: image))
        try ContainerRunner.requireRoot()
        let succeeded: Bool = try await ImageRootfs.with(image) { unpacked in
            let report = try await StructureTestRunner().run(
                configPaths: configs, rootfs: unpacked.rootfs, image: unpacked.image.configuration, junitPath: junit,
                progress: { result in print(result.reportLines.joined(separator: "\n")) })
            print(report.summary)
            return report.succeeded
        }
        if !succeeded { throw ExitCode(1) }
    }
}
