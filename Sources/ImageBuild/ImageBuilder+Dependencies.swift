import Archive
import Binary
import Debian
import Foundation
import ImageFormat
import ImageTransport
import Python

/// The build steps between the OS layer and the app: the wheels' layer, the native libraries the app and the
/// wheels need (packages added from the Contents index on a fresh resolution), and the check that the image starts.
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

    /// The wheels' layer for `architecture`: from the layer cache, or installed from the verified wheels.
    func pythonLayer(
        _ architecture: String, wheels: [LockedWheel], base: OSLayerIndex, writer: LayerWriter, epoch: Int64, file: String, scratch: String
    ) async throws -> (blob: LayerBlob, index: PythonLayer.Index, cached: Bool) {
        guard let python else { throw BuildError.pythonDependencies("\(build.path): the lock has wheels, and the build file has no python:") }
        let started = Date()
        let paths = try await python.fetch(wheels)
        let layer = PythonLayer(
            runtime: python.runtime, cache: LayerCache(directory: options.cacheDirectory + "/layers"), buildFile: build.path, shared: sharedCache)
        let packer = LayerPackingProgress(label: "\(architecture): python layer", log: options.log).attach(to: writer)
        let result = try await layer.layer(wheels: wheels, paths: paths, base: base, writer: packer, epoch: epoch, file: file, scratch: scratch)
        if result.reused {
            options.log("\(architecture): python layer \(result.blob.descriptor.digest.encoded.prefix(12)) from the layer cache")
        } else {
            options.log(
                "\(architecture): python layer (\(wheels.count) wheels) \(BuildResult.size(result.blob.uncompressedSize)) → "
                    + "\(BuildResult.size(result.blob.descriptor.size))" + String(format: " in %.2f s", Date().timeIntervalSince(started)))
        }
        return (result.blob, result.index, result.reused)
    }

    /// The image must start: every native file for this machine with its libraries present (else
    /// ``NativeLibraries/Missing``), and the entrypoint (and its `#!` interpreter) present and executable.
    func checkStarts(_ architecture: String, base: OSLayerIndex, app: LayerTree, wheels: PythonLayer.Index?) throws {
        let files = ImageFiles(base: base, layers: [app])
        var elf = wheels?.elf ?? [:]
        for (path, header) in try NativeLibraries.elfFiles(in: app) { elf[path] = header }
        let native = NativeLibraries(architecture: architecture, buildFile: build.path)
        let needs = try native.check(elf, exists: files.isFile)
        if !needs.isEmpty { throw NativeLibraries.Missing(architecture: architecture, needs: needs) }
        var shebangs = wheels?.shebangs ?? [:]
        for (path, interpreter) in PythonLayer.shebangs(in: app) { shebangs[path] = interpreter }
        try EntrypointCheck(files: files, shebangs: shebangs, architecture: architecture, buildFile: build.path).check(build)
    }
}
