import ArgumentParser
import Foundation
import ImageBuild
import Vulnerabilities

/// `build --scan`: the scan table after a build, when a vulnerability database exists.
enum BuildScan {
    static func run(_ result: BuildResult, exitCode: Int32) async throws {
        guard let reference = result.outputs.first else { return }
        var session = ScanSession(databasePath: VulnerabilityStore.defaultPath(), catalogCache: ScanSession.defaultCatalogCache())
        session.toolVersion = DistillVersion.current
        guard let reports = try await session.reportsAfterBuild(reference: reference, architectures: result.images.map(\.architecture)) else {
            FileHandle.standardError.write(Data("note: no vulnerability database at \(session.databasePath); run 'distill db update' to scan builds\n".utf8))
            return
        }
        for report in reports { print(try session.render(report), terminator: "") }
        if exitCode != 0 && reports.contains(where: { !$0.findings.isEmpty }) { throw ExitCode(exitCode) }
    }
}
