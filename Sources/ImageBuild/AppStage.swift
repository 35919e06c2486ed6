import Archive
import Binary
import Foundation
import ImageFormat

/// The app layer: the build file's `app:` entries on top of the OS and wheels' layers, and the check that the
/// image of this architecture starts (its native files find their libraries; its entrypoint is there to run).
struct AppStage: LayerStage {
    let build: BuildFile
    let architecture: String
    /// The OS layer with the wheels' layer laid over it.
    let base: OSLayerIndex
    /// The wheels' layer, whose ELF files and scripts the check looks at too.
    let wheels: PythonStage.Index?
    /// Who owns app files whose entry names no owner.
    let defaultOwner: (uid: Int64, gid: Int64)

    var label: String { "app layer" }

    /// Never cached: the app is what changes between builds, and packing it is the cheap part.
    func cacheKey(writer: LayerWriter) -> Digest? { nil }

    func make(scratch: String) async throws -> (tree: LayerTree, index: OSLayerIndex) {
        // A workdir the OS layer does not have is created in the app layer.
        let tree = try AppLayer(base: base, buildFile: build.path, architecture: architecture)
            .tree(build.app, defaultOwner: defaultOwner, workdir: build.workdir)
        try checkStarts(app: tree)
        return (tree, OSLayerIndex(tree: tree, owners: [:]))
    }

    /// The image must start: every native file for this machine with its libraries present (else
    /// ``NativeLibraries/Missing``), and the entrypoint (and its `#!` interpreter) present and executable.
    func checkStarts(app: LayerTree) throws {
        let files = ImageFiles(base: base, layers: [app])
        var elf = wheels?.elf ?? [:]
        for (path, header) in try NativeLibraries.elfFiles(in: app) { elf[path] = header }
        let native = NativeLibraries(architecture: architecture, buildFile: build.path)
        let needs = try native.check(elf, exists: files.isFile)
        if !needs.isEmpty { throw NativeLibraries.Missing(architecture: architecture, needs: needs) }
        var shebangs = wheels?.shebangs ?? [:]
        for (path, interpreter) in PythonStage.shebangs(in: app) { shebangs[path] = interpreter }
        try EntrypointCheck(files: files, shebangs: shebangs, architecture: architecture, buildFile: build.path).check(build)
    }
}
