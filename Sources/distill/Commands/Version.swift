import ArgumentParser

/// `distill version`.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print distill's version.")
    func run() { print(DistillVersion.current) }
}
