import Foundation
import SystemSupport

/// The commit and remote of the repository a build file lives in, for the image's source annotations.
struct GitInfo {
    var revision: String
    var source: String?

    /// nil outside a git work tree or when git is not installed.
    static func read(_ directory: String) async -> GitInfo? {
        guard let git = ChildProcess.find("git"),
              let revision = await run(git, ["-C", directory, "rev-parse", "HEAD"])
        else { return nil }
        let remote = await run(git, ["-C", directory, "config", "--get", "remote.origin.url"])
        return GitInfo(revision: revision, source: remote)
    }

    private static func run(_ git: String, _ arguments: [String]) async -> String? {
        guard let output = try? await ChildProcess.run(git, arguments, outputLimit: 1 << 16), output.status == 0 else { return nil }
        let text = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
