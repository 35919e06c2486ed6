import ArgumentParser
import Foundation
import Registry

/// The `distill` command: build distroless images and prove what is in them.
struct Distill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Build distroless images from signed Debian packages, and prove what they contain.",
        version: DistillVersion.current,
        subcommands: [
            Build.self, Run.self, TestImage.self, SBOMCommand.self, InspectCommand.self, CheckCommand.self, Scan.self, CompareCommand.self,
            DB.self, Why.self, Copy.self, Push.self, Pull.self, Version.self,
        ])
}

enum DistillVersion {
    static let current = "0.1.0"
}

@main
enum DistillMain {
    /// Runs the command; any failure prints one `error:` line (what and where) and exits non-zero.
    static func main() async {
        // Registry references work in every command (credentials from the usual files); commands with registry
        // flags install their own before they open anything.
        RegistryOpener.install(options: RegistryOptions(blobLocations: .standard()))
        do {
            var command = try Distill.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            fail(error)
        }
    }

    private static func fail(_ error: any Error) -> Never {
        if let code = error as? ExitCode { exit(code.rawValue) }
        let fromParser = String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
        if fromParser || error is ValidationError {
            let code = Distill.exitCode(for: error)
            if code == .success { Distill.exit(withError: error) }
            var message = Distill.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let command = subcommand(in: CommandLine.arguments)
            if command == "run" && message.contains("unexpected argument") {
                message += "; the container's arguments go after --: distill run [OPTIONS] IMAGE -- ARGS…"
            }
            let help = command.map { "distill \($0) --help" } ?? "distill --help"
            FileHandle.standardError.write(Data("error: \(message)\n(see '\(help)')\n".utf8))
            exit(code.rawValue)
        }
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit((error as? ContainerFailure)?.exitCode ?? 1)
    }

    /// The subcommand named on the command line (the first argument that is one), for pointing at its help.
    static func subcommand(in arguments: [String]) -> String? {
        let names = Distill.configuration.subcommands.map { $0._commandName }
        return arguments.dropFirst().first { names.contains($0) }
    }
}
