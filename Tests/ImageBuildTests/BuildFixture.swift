import Foundation
import ImageBuild
import ImageTransport
import TestSupport

/// Builds images from the frozen, signed mirror served on 127.0.0.1, with one shared package cache.
enum BuildFixture {
    /// The mirror server, started once per test process (it exits with the process).
    static let mirror: LocalHTTPServer = try! LocalHTTPServer(serving: SharedTestData.debianMirror)
    /// A package cache shared by the builds of one test run.
    static let cache: TemporaryDirectory = SharedBuildCache.directory

    /// The build file header for `distro` on the frozen mirror (only its main suite exists there).
    static func header(distro: String) -> String {
        let suite = distro == "debian12" ? "bookworm" : "trixie"
        return "distro: \(distro)\nmirror: \(mirror.baseURL)\nsuites: [\(suite)]\n"
    }

    /// Writes `yaml` as `distill.yaml` in a fresh directory (plus `files`), builds it, returns the result.
    static func build(
        _ yaml: String, files: [String: String] = [:], copies: [String: String] = [:], in directory: TemporaryDirectory? = nil,
        cache: String? = nil, configure: (inout BuildOptions) -> Void = { _ in }
    ) async throws -> (directory: TemporaryDirectory, result: BuildResult) {
        let dir = try directory ?? TemporaryDirectory("build")
        try yaml.write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        for (name, text) in files { try text.write(toFile: dir(name), atomically: true, encoding: .utf8) }
        for (name, source) in copies {
            try? FileManager.default.removeItem(atPath: dir(name))
            try FileManager.default.copyItem(atPath: source, toPath: dir(name))
        }
        var options = BuildOptions(cacheDirectory: cache ?? self.cache.path)
        options.outputDirectory = dir("out")
        configure(&options)
        let build = try BuildFile.load(dir("distill.yaml"))
        let result = try await ImageBuilder(build: build, options: options).run()
        return (dir, result)
    }

    /// Test programs compiled once per run: the static `/check_certs` and the C++ hello.
    static let programs: (checkCerts: String, helloCC: String) = {
        let dir = try! TemporaryDirectory("programs")
        let sources = SharedTestData.packageRoot.appendingPathComponent("Tests/Programs").path
        try! Tool.check(["cc", "-static", "-O2", "-o", dir("check_certs"), sources + "/check_certs.c", "-lssl", "-lcrypto"])
        try! Tool.check(["c++", "-O2", "-o", dir("hello_cc"), sources + "/hello_cc.cc"])
        // Keep the directory for the whole run.
        keep.append(dir)
        return (dir("check_certs"), dir("hello_cc"))
    }()
    nonisolated(unsafe) static var keep: [TemporaryDirectory] = []
}

/// Log lines collected from a build's `options.log`, which may be called from any thread.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    /// Adds a line.
    func append(_ line: String) { lock.withLock { collected.append(line) } }

    /// Every line so far.
    var lines: [String] { lock.withLock { collected } }
}
