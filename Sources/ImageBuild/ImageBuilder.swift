import Archive
import Debian
import Foundation
import SystemSupport
import ImageFormat
import ImageTransport
import Python
import SBOM

/// Builds a distroless image from a build file: OS packages, then Python wheels, then the app, per architecture.
public struct ImageBuilder: Sendable {
    public let build: BuildFile
    public let options: BuildOptions
    let packages: DebianPackages
    /// The `python:` wheels, when the build file has them.
    let python: PythonPackages?
    /// The registry layer cache (`--cache-from`/`--cache-to`), if any.
    let sharedCache: (any SharedLayerCache)?

    /// Prepares a build; `progress` receives download events (the CLI draws them on the terminal).
    public init(build: BuildFile, options: BuildOptions, progress: DownloadProgressHandler? = nil) throws {
        self.build = build
        self.options = options
        for architecture in options.archs ?? [] { try Self.checkBuilds(architecture, build) }
        if let epoch = options.sourceDateEpoch, epoch < 0 {
            throw BuildError.invalidSourceDateEpoch("--source-date-epoch \(epoch)", reason: "a timestamp is 0 or more seconds since 1970")
        }
        packages = try DebianPackages(build: build, options: options, progress: progress)
        python = try build.python.map { try PythonPackages(build: build, settings: $0, options: options, progress: progress) }
        // --offline opens no connection, to a registry cache neither.
        sharedCache = options.offline ? nil : RegistryLayerCache(from: options.cacheFrom, to: options.cacheTo, log: options.log)
    }

    /// Refuses an architecture the build file does not build, before anything is resolved or locked: the
    /// lock pins packages per architecture, so another one is added to `archs:` first.
    static func checkBuilds(_ architecture: String, _ build: BuildFile) throws(BuildError) {
        let supported = BuildFile.supportedArchitectures
        guard supported.contains(architecture) else {
            throw .architecture(architecture, reason: "distill builds \(supported.joined(separator: " and ")) images")
        }
        guard build.archs.contains(architecture) else {
            let builds = build.archsListed
                ? "lists archs: [\(build.archs.joined(separator: ", "))]"
                : "has no archs:, so it builds this machine's \(build.archs.joined(separator: ", "))"
            throw .architecture(architecture, reason:
                "\(build.path) \(builds); add `archs: [\((build.archs + [architecture]).joined(separator: ", "))]` to it to build \(architecture) too")
        }
    }

    /// Why `package` is (or is not) in the image for `architecture`: the dependency chain from a requested
    /// package. A name no suite has is an error (Debian package names are lowercase).
    /// With a lock file (and no `--update-lock`) the chains are those of the locked set, which is what the image holds.
    public func explain(_ package: String, architecture: String) async throws -> String {
        try Self.checkBuilds(architecture, build)
        var note = "(a fresh resolution: \((build.lockPath as NSString).lastPathComponent) does not exist yet)"
        var lockedSet: (resolution: Resolution, index: PackageIndex)?
        var native: [NativeAddition] = []
        if !options.updateLock, FileManager.default.fileExists(atPath: build.lockPath) {
            let lock = try BuildLock.read(build.lockPath)
            try lock.debian.check(against: packages.lockInputs, file: build.lockPath)
            if let locked = lock.debian.packages[architecture] {
                native = lock.native[architecture] ?? []
                lockedSet = try await packages.resolveLocked(architecture, locked: locked, adding: native.map(\.package))
                note = "(the locked set in \((build.lockPath as NSString).lastPathComponent))"
            }
        }
        let chosen: (resolution: Resolution, index: PackageIndex)
        if let lockedSet { chosen = lockedSet } else { chosen = try await packages.resolveWithIndex(architecture) }
        let (resolution, index) = chosen
        func exists(_ name: String) -> Bool { !index.versions(of: name).isEmpty || !index.providers(of: name).isEmpty }
        if resolution.package(package) == nil, !exists(package) {
            let lower = package.lowercased()
            if lower != package, exists(lower) {
                throw BuildError.unknownPackage(package, reason: "(Debian package names are lowercase; did you mean '\(lower)'?)")
            }
            throw BuildError.unknownPackage(package, reason:
                "for \(architecture) in \(packages.suiteNames.joined(separator: ", "))"
                    + (lower != package ? " (Debian package names are lowercase)" : ""))
        }
        var text = resolution.explain(package)
        for addition in native where addition.package == package {
            text += "\n\(package) was added for \(addition.library), needed by \(addition.file)"
        }
        return text + "\n" + note
    }

    /// The architectures to build, the command line's override first.
    var architectures: [String] { options.archs ?? build.archs }

    /// Runs the build and writes every output; nothing is visible at an output unless the build succeeds.
    public func run() async throws -> BuildResult {
        let start = Date()
        var warnings: [String] = []
        if try ImageConfigBuilder.user(build).isRoot {
            warnings.append("the image runs as root (user: \(build.user)); distroless images normally run as nonroot (65532)")
        }
        for warning in warnings { options.log("warning: \(warning)") }
        let staging = try PrivateDirectory(prefix: "build", under: options.cacheDirectory + "/tmp")
        defer { try? staging.remove() }
        let memory = try StagingLayout(path: staging.path + "/layout")
        let store = build.baseImage != nil || !build.copyFrom.isEmpty
            ? try ImageStore(cacheDirectory: options.cacheDirectory, offline: options.offline, log: options.log) : nil
        let dependencies = DependencyLock(
            build: build, debian: packages, python: python, updateLock: options.updateLock, log: options.log, images: store)
        var sets = try await dependencies.sets(for: architectures)
        var images: [BuildResult.ArchImage] = []
        var manifests: [Descriptor] = []
        for architecture in architectures {
            let built = try await buildAddingNativeLibraries(
                architecture, sets: &sets, dependencies: dependencies, into: memory.destination, scratch: staging.path)
            images.append(built.summary)
            manifests.append(built.manifest)
        }
        let root: Descriptor
        if manifests.count == 1 {
            root = manifests[0]
        } else {
            root = try await ImageAssembler.writeIndex(manifests: manifests, annotations: await annotations(created: nil), to: memory.destination)
        }
        try await memory.destination.commit(root: root)
        var outputs = try await writeOutputs(from: memory.path)
        let directories = BuildSBOM.directories(outputs: options.outputs, outputDirectory: options.outputDirectory)
        let files = try await BuildSBOM.write(&images, name: build.name, layout: memory.path, directories: directories)
        try await SBOMAttachment.attachAfterBuild(images, name: build.name, root: root, pushes: options.pushes, log: options.log)
        let seconds = Date().timeIntervalSince(start)
        // Beside the outputs, never in the image: the time changes from build to build, the digests must not.
        let record = BuildRecord(
            name: build.name, variant: build.variant, seconds: seconds, finished: ImageConfigBuilder.timestamp(Int64(Date().timeIntervalSince1970)),
            root: root.digest, images: images.map { BuildRecord.Image(architecture: $0.architecture, manifest: $0.manifest.digest, config: $0.sbom?.subject.configDigest) },
            outputs: outputs)
        outputs += files
        outputs += try record.write(to: directories)
        return BuildResult(root: root, images: images, outputs: outputs, seconds: seconds, warnings: warnings)
    }

    /// One architecture's image: the base image's layers (`base: {image:}`), then the stages' layers (OS, wheels,
    /// app with the `copy_from:` paths), its config (merged with the base's) and manifest, into `destination`.
    func buildArchitecture(
        _ architecture: String, packages locked: [PackageDownload], wheels: [LockedWheel], lock: BuildLock? = nil, into destination: ImageDestination,
        scratch: String
    ) async throws -> (manifest: Descriptor, summary: BuildResult.ArchImage) {
        let inputs = try await imageInputs(architecture, lock: lock, scratch: scratch)
        let packages = packagesToInstall(locked, on: inputs, architecture: architecture)
        options.log("\(architecture): \(packages.count) packages")
        let debs = try await self.packages.fetch(packages)
        let epoch = try options.sourceDateEpoch ?? debs.map { try DebianPackages.buildDate(of: $0) }.max() ?? inputs.base?.createdEpoch ?? 0
        let runner = StageRunner(
            architecture: architecture, writer: options.layerWriter(for: build, epoch: epoch),
            cache: LayerCache(directory: options.cacheDirectory + "/layers"), scratch: scratch, log: options.log, shared: sharedCache)
        var layers = try baseLayers(inputs, scratch: scratch, architecture: architecture)
        var catalogs: [Task<LayerCatalog, any Error>] = inputs.base.map { base in [Task { base.catalog }] } ?? []
        var comments: [String] = []
        var reused = layers.count
        func add<Index>(_ layer: StageLayer<Index>, comment: String) {
            layers.append((layer.blob, layer.file))
            catalogs.append(layer.catalog)
            comments.append(comment)
            if layer.reused { reused += 1 }
        }

        let skeleton = try self.skeleton(
            Preset.skeleton(
                distro: build.distro, accounts: build.accounts, python: build.base == .python3 ? Preset.pythonPackage(build.distro) : nil,
                debug: build.debug),
            on: inputs, architecture: architecture)
        let osStage = OSStage(
            packages: packages, debs: debs, supplier: self.packages, skeleton: skeleton, epoch: epoch, debug: build.debug, below: inputs.base?.index,
            belowLayers: inputs.base?.layers.map(\.diffID) ?? [])
        var below = inputs.baseIndex
        // On a base image that has every requested package and every preset file, there is no OS layer at all.
        if let os = try await runner.run(osStage, position: layers.count) {
            add(os, comment: "debian packages: \(packages.map(\.name).joined(separator: " "))")
            below = inputs.over(os.index)
        } else if inputs.base == nil {
            throw BuildError.emptyLayer(architecture: architecture, layer: osStage.label)
        }
        var wheelFiles: PythonStage.Index?
        if !wheels.isEmpty {
            guard let python else { throw BuildError.pythonDependencies("\(build.path): the lock has wheels, and the build file has no python:") }
            let stage = PythonStage(wheels: wheels, python: python, base: below, epoch: epoch, buildFile: build.path)
            if let layer = try await runner.run(stage, position: layers.count) {
                add(layer, comment: "python wheels: " + wheels.map { "\($0.name)==\($0.version)" }.joined(separator: " "))
                below = ImageFiles(base: below, index: layer.index.entries).index
                wheelFiles = layer.index
            }
        }

        let user = try ImageConfigBuilder.user(build)
        var appStage = AppStage(
            build: build, architecture: architecture, base: below, wheels: wheelFiles, defaultOwner: inheritedOwner(inputs) ?? (user.uid, user.gid))
        appStage.copied = inputs.copied
        appStage.copiedPaths = inputs.copiedPaths
        if let app = try await runner.run(appStage, position: layers.count) {
            let appComment = "app: " + build.app.map { "\(($0.source(for: architecture) as NSString).lastPathComponent) -> \($0.target)" }.joined(separator: ", ")
            add(app, comment: copyFromComment.map { build.app.isEmpty ? $0 : "\($0); \(appComment)" } ?? appComment)
        }

        let created = ImageConfigBuilder.timestamp(epoch)
        var configuration = try ImageConfigBuilder.configuration(
            build, architecture: architecture, created: created, layerComments: comments)
        if let base = inputs.base { configuration = BaseConfig.merge(configuration, base: base.configuration, build: build) }
        let manifest = try await ImageAssembler.writeImage(
            layers: layers, configuration: configuration, annotations: await annotations(created: created), to: destination)
        var summary = BuildResult.ArchImage(
            architecture: architecture, manifest: manifest,
            compressedSize: layers.reduce(0) { $0 + $1.blob.descriptor.size },
            uncompressedSize: layers.reduce(0) { $0 + $1.blob.uncompressedSize },
            packages: packages.map { "\($0.name)=\($0.version)" }.sorted(), layers: layers.count, reusedLayers: reused)
        summary.layerCatalogs = catalogs
        return (manifest, summary)
    }

    private func annotations(created: String?) async -> [String: String] {
        var result = build.annotations
        if let created { result[AnnotationKey.created] = result[AnnotationKey.created] ?? created }
        if let git = await GitInfo.read(build.directory) {
            if let source = git.source { result[AnnotationKey.source] = result[AnnotationKey.source] ?? source }
            result[AnnotationKey.revision] = result[AnnotationKey.revision] ?? git.revision
        }
        return result
    }

    /// Copies the staged image to each output reference.
    private func writeOutputs(from layout: String) async throws -> [String] {
        var references = options.outputs
        if references.isEmpty {
            try FileManager.default.createDirectory(atPath: options.outputDirectory, withIntermediateDirectories: true)
            references = [
                .oci(path: options.outputDirectory + "/" + build.name, tag: "latest"),
                .dockerArchive(path: options.outputDirectory + "/" + build.name + ".tar", tag: "\(build.name):latest"),
            ]
        }
        var written: [String] = []
        for reference in references.map(defaultTag) + options.pushes {
            // Its blobs were verified as they went in (packed here, or from the layer cache): local outputs link them.
            let source = try OCILayoutSource(path: layout, tag: nil, blobsVerified: true)
            let destination = try reference.openDestination()
            var platform: Platform?
            if architectures.count > 1 && !destination.supportsIndex {
                let host = BuildFile.hostArchitecture
                platform = Platform(debianArchitecture: architectures.contains(host) ? host : architectures[0])
            }
            try await ImageCopier(platform: platform, notice: { options.log("note: \($0)") }).copy(from: source, to: destination)
            written.append(reference.description)
        }
        return written
    }
}

extension ImageBuilder {
    /// An output named without a tag gets one: `latest` in an OCI layout or archive, `<name>:latest` in a
    /// docker-archive (whose untagged images `docker load` and `podman load` leave nameless).
    func defaultTag(_ reference: ImageReference) -> ImageReference {
        switch reference {
        case .oci(let path, nil): return .oci(path: path, tag: "latest")
        case .ociArchive(let path, nil): return .ociArchive(path: path, tag: "latest")
        case .dockerArchive(let path, nil): return .dockerArchive(path: path, tag: "\(build.name):latest")
        default: return reference
        }
    }
}

/// The build's own OCI layout, written first; outputs are copies of it.
struct StagingLayout {
    let path: String
    let destination: OCILayoutDestination

    init(path: String) throws {
        self.path = path
        destination = try OCILayoutDestination(path: path, tag: nil)
    }
}
