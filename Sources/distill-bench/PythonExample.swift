import Foundation
import ImageBuild
import TestSupport

/// The python example built from the frozen mirror in a work folder: what the audit, registry and vulnerability
/// suites measure their commands on.
struct PythonExample {
    /// The OCI layout the build wrote.
    let layout: String
    let result: BuildResult

    /// Copies examples/python-app to `work`/python-app, points it at `mirror` and builds it (cache in `work`/cache).
    static func build(in work: String, mirror: LocalHTTPServer) async throws -> PythonExample {
        let app = work + "/python-app"
        try FileManager.default.copyItem(atPath: SharedTestData.packageRoot.path + "/examples/python-app", toPath: app)
        try? FileManager.default.removeItem(atPath: app + "/build")
        try? FileManager.default.removeItem(atPath: app + "/distill.lock")
        let yaml = try String(contentsOfFile: app + "/distill.yaml", encoding: .utf8) + "mirror: \(mirror.baseURL)\nsuites: [bookworm]\n"
        try yaml.write(toFile: app + "/distill.yaml", atomically: true, encoding: .utf8)
        var options = BuildOptions(cacheDirectory: work + "/cache")
        options.outputDirectory = app + "/build"
        let result = try await ImageBuilder(build: try BuildFile.load(app + "/distill.yaml"), options: options).run()
        return PythonExample(layout: app + "/build/python-app", result: result)
    }
}
