import ArgumentParser

/// `distill version`.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print distill's version.")
    func run() { print(DistillVersion.current) }
}
