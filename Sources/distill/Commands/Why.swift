import ArgumentParser
import Debian
import Foundation
import ImageBuild

/// `distill why PKG [FILE]`: the dependency chain that puts a package in the image.
struct Why: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain why a Debian package is (or is not) in the image of a build file.",
        discussion: "A name no suite has is an error (exit 1); Debian package names are lowercase.")

    @Argument(help: "The package name, as Debian spells it (lowercase).")
    var package: String

    @Argument(help: "The build file, or a folder holding distill.yaml.")
    var file = "distill.yaml"

    @Option(help: "The architecture, one of the build file's archs (default: its first).")
    var arch: String?

    @Flag(help: "Use only the cache.")
    var offline = false

    func run() async throws {
        let build = try BuildFile.load(file)
        var options = BuildOptions()
        options.offline = offline
        options.mirror = ProcessInfo.processInfo.environment["DISTILL_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        let builder = try ImageBuilder(build: build, options: options)
        print(try await builder.explain(package, architecture: arch ?? build.archs[0]))
    }
}
