import Archive
import Binary
import Debian
import Foundation
import ImageFormat
import ImageTransport
import Python

/// The native libraries the app and the wheels need: packages added from the Contents index on a fresh resolution.
extension ImageBuilder {
    /// Builds one architecture; when native files need libraries the image lacks and the package set was resolved by
    /// this build, adds the packages that ship them, locks them, and builds again.
    func buildAddingNativeLibraries(
        _ architecture: String, sets: inout DependencySets, dependencies: DependencyLock, into destination: ImageDestination, scratch: String
    ) async throws -> (manifest: Descriptor, summary: BuildResult.ArchImage) {
        var added: [NativeAddition] = []
        while true {
            do {
                return try await buildArchitecture(
                    architecture, packages: sets.debian[architecture] ?? [], wheels: sets.wheels[architecture] ?? [], into: destination,
                    scratch: scratch)
            } catch let missing as NativeLibraries.Missing {
                guard sets.resolvedNow else { throw BuildError.pythonDependencies(missing.description) }
                let native = NativeLibraries(architecture: architecture, buildFile: build.path)
                let started = Date()
                let additions = try await native.packages(for: missing.needs, repository: packages.repository)
                options.log(
                    "\(architecture): looked up \(missing.needs.map(\.library).joined(separator: ", ")) in the Contents index"
                        + String(format: " (%.2f s)", Date().timeIntervalSince(started)))
                if let repeated = additions.first(where: { added.contains($0) }) {
                    throw BuildError.pythonDependencies(
                        "\(build.path): \(repeated.file) needs \(repeated.library); \(repeated.package) ships it, yet after adding it the "
                            + "\(architecture) image still lacks it where the loader looks")
                }
                added += additions
                try await dependencies.add(additions, architecture: architecture, to: &sets)
            }
        }
    }
}
