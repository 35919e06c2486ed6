import ArgumentParser
import Foundation
import ImageBuild
import ImageTransport
import Report
import Vulnerabilities

/// After `distill build` of variants: each summary, then the comparison table of the images just built.
enum BuildVariants {
    static func report(_ built: [VariantBuild.Built], scan: Bool, scanExitCode: Int32) async throws {
        for item in built {
            print("variant  \(item.variant.name)")
            print(item.result.summary)
            print("")
        }
        let images = try built.compactMap { item -> (reference: ImageReference, name: String)? in
            guard let output = item.result.outputs.first else { return nil }
            return (try ImageReference(parsing: output), item.variant.name)
        }
        let comparer = Comparer(databasePath: VulnerabilityStore.defaultPath(), tool: "distill \(DistillVersion.current)")
        print(ComparisonTable.render(try await comparer.compare(images)), terminator: "")
        if scan {
            for item in built { try await BuildScan.run(item.result, exitCode: scanExitCode) }
        }
    }
}
