import ArgumentParser
import Debian
import Foundation
import SystemSupport
import ImageBuild
import ImageFormat
import Archive
import ImageTransport

/// `distill build [FILE]`: a distroless image from a build file.
struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an image from a build file (default: distill.yaml).",
        discussion: """
            Writes build/<name> (OCI layout, tag latest) and build/<name>.tar (docker-archive) unless --output is given. \
            The package set is pinned in a lock file beside the build file (distill.yaml → distill.lock, cc3.yaml → cc3.lock) \
            on the first build and reused afterwards, with the chosen Python wheels (python:) and the packages added for \
            native libraries. DISTILL_MIRROR overrides mirror:, PIP_INDEX_URL overrides python.index-url:. \
            FILE may also be a folder holding distill.yaml. With variants: in the file, every variant is built \
            (build/<name>-<variant>) and the comparison table printed at the end.
            """)

    @Argument(help: "The build file, or a folder holding distill.yaml.")
    var file = "distill.yaml"

    @Option(name: .long, help: "Write the image here instead (oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], dir:DIR); repeatable. Without a tag: latest (<name>:latest in a docker-archive).")
    var output: [String] = []

    @Option(name: .long, help: "Build only these of the build file's archs, e.g. amd64,arm64.")
    var arch: String?

    @Flag(name: .long, help: "Use only the cache; never open a network connection.")
    var offline = false

    @Flag(name: .long, help: "Resolve the packages again and rewrite the lock file.")
    var updateLock = false

    @Option(name: .long, help: "Timestamp for every file and the image (default: $SOURCE_DATE_EPOCH, else the newest package's date).")
    var sourceDateEpoch: Int64?

    @Option(name: .long, help: "Also push the image to this registry reference (HOST[:PORT]/REPO[:TAG]); a multi-arch build goes as one index.")
    var push: String?

    @Option(name: .long, help: "Look up the OS and Python layers in this registry repository (HOST[:PORT]/REPO) before building them; repeatable. A miss or an unreachable cache is a note.")
    var cacheFrom: [String] = []

    @Option(name: .long, help: "Send the OS and Python layers to this registry repository (HOST[:PORT]/REPO), tagged distill-cache-<key>, for other machines' --cache-from.")
    var cacheTo: String?

    @OptionGroup var registry: RegistryFlags

    @Option(name: .long, help: "Layer compression: gzip (read everywhere) or zstd (smaller, faster; podman, containerd, Docker 23+). Overrides the build file's compression:.")
    var compression: String?

    @Option(name: .long, help: "How gzip layers are deflated: zlib (default; the same bytes on every machine) or libdeflate (faster; its bytes depend on the libdeflate version, so the image may not reproduce elsewhere).")
    var gzipEngine: String?

    @Flag(name: .long, help: "Scan the image against the vulnerability database after the build (skipped when there is none).")
    var scan = false

    @Option(name: .long, help: "With --scan: exit with this code when any vulnerability is found.")
    var scanExitCode: Int32 = 0

    @Option(name: .long, help: "Build only these of the build file's variants, e.g. py311,debug (default: all).")
    var variant: String?

    func run() async throws {
        // Ctrl-C removes the staging folders before distill dies of it.
        InterruptCleanup.install()
        let pushTo = try push.map { try ImageReference(parsing: $0) }
        if let pushTo, !pushTo.isRegistry { throw ValidationError("--push '\(push ?? "")' is not a registry reference (HOST[:PORT]/REPO[:TAG]); use --output for other destinations") }
        try registry.install(credentialsFor: pushTo)
        let build = try BuildFile.load(file)
        var options = BuildOptions()
        options.outputs = try output.map { try ImageReference(parsing: $0) }
        options.pushes = pushTo.map { [$0] } ?? []
        options.cacheFrom = try cacheFrom.map { try Self.cacheRepository($0, flag: "--cache-from") }
        options.cacheTo = try cacheTo.map { try Self.cacheRepository($0, flag: "--cache-to") }
        options.archs = arch.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        options.offline = offline
        if let compression {
            guard let choice = LayerCompression(rawValue: compression), BuildOptions.compressionNames.contains(compression) else {
                throw ValidationError("--compression \(compression): choose gzip or zstd")
            }
            options.compression = choice
        }
        if let gzipEngine {
            guard let engine = GzipEngine.allCases.first(where: { $0.description == gzipEngine }) else {
                throw ValidationError("--gzip-engine \(gzipEngine): choose zlib or libdeflate")
            }
            if !engine.isAvailable { throw ValidationError("--gzip-engine libdeflate: libdeflate.so.0 is not installed (apt-get install libdeflate0)") }
            options.gzipEngine = engine
        }
        options.updateLock = updateLock
        let environment = ProcessInfo.processInfo.environment
        options.sourceDateEpoch = try sourceDateEpoch ?? BuildOptions.sourceDateEpoch(from: environment)
        options.mirror = environment["DISTILL_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        options.pythonIndexURL = environment["PIP_INDEX_URL"].flatMap { $0.isEmpty ? nil : $0 }
        options.log = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let progress = TerminalProgress()
        let only = variant.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        if !build.variants.isEmpty || only != nil {
            let built = try await VariantBuild.run(build, only: only, options: options, progress: { progress.handle($0) })
            progress.end()
            try await BuildVariants.report(built, scan: scan, scanExitCode: scanExitCode)
            return
        }
        let builder = try ImageBuilder(build: build, options: options, progress: { progress.handle($0) })
        let result = try await builder.run()
        progress.end()
        print(result.summary)
        if scan { try await BuildScan.run(result, exitCode: scanExitCode) }
    }

    /// A cache flag's value: a registry repository (each layer has its own tag there, so none is given).
    static func cacheRepository(_ value: String, flag: String) throws -> RegistryReference {
        guard case .registry(let reference) = try ImageReference(parsing: value), reference.tag == nil, reference.digest == nil else {
            throw ValidationError("\(flag) '\(value)' is not a registry repository (HOST[:PORT]/REPO, without a tag: each layer gets its own)")
        }
        return reference
    }
}
