import ArgumentParser

@main
struct Distill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Build distroless images from signed Debian packages, and prove what they contain.",
        version: DistillVersion.current,
        subcommands: [Version.self])
}

enum DistillVersion {
    static let current = "0.1.0"
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print distill's version.")
    func run() { print(DistillVersion.current) }
}
