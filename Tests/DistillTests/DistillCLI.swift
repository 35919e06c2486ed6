import Foundation
import TestSupport

/// The `distill` executable built beside this test bundle, run as a user would run it.
enum DistillCLI {
    /// `.build/<triple>/debug/distill`: the folder of the running test bundle holds every product.
    static let executable: String = {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("distill").path
    }()

    /// Runs `distill ARGS…` in `cwd`; never throws for a non-zero exit (the caller checks it).
    @discardableResult
    static func run(_ arguments: [String], in cwd: String, environment: [String: String]? = nil, input: Data? = nil) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw FixtureError("\(executable) is missing: build it first with `swift build --build-tests`")
        }
        return try Tool.run([executable] + arguments, environment: environment, cwd: cwd, input: input)
    }

    /// Runs and throws unless distill exits 0; returns stdout.
    @discardableResult
    static func check(_ arguments: [String], in cwd: String, environment: [String: String]? = nil, input: Data? = nil) throws -> String {
        let result = try run(arguments, in: cwd, environment: environment, input: input)
        if result.status != 0 {
            throw FixtureError("distill \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)\(result.stdout)")
        }
        return result.stdout
    }

    /// A small root filesystem (a file, a folder, a link) to make images from with `rootfs:`.
    static func makeRootfs(at path: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: path + "/etc", withIntermediateDirectories: true)
        try Data("box\n".utf8).write(to: URL(fileURLWithPath: path + "/etc/hostname"))
        try fm.createSymbolicLink(atPath: path + "/hostname", withDestinationPath: "etc/hostname")
    }
}
