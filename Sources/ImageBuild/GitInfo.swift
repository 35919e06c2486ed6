import Foundation

/// The commit and remote of the repository a build file lives in, for the image's source annotations.
struct GitInfo {
    var revision: String
    var source: String?

    /// nil outside a git work tree or when git is not installed.
    static func read(_ directory: String) -> GitInfo? {
        guard let revision = run(["git", "-C", directory, "rev-parse", "HEAD"]) else { return nil }
        let remote = run(["git", "-C", directory, "config", "--get", "remote.origin.url"])
        return GitInfo(revision: revision, source: remote)
    }

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
