import Foundation
import ImageBuild
import TestSupport

/// python3-preset images built from the frozen, signed mirror (served on 127.0.0.1), each with an app layer
/// holding the `*.dist-info/METADATA` of a few Python packages, some of them old. Built once per test process.
actor PresetImages {
    static let shared = PresetImages()

    /// The Python distributions put in every image: (name as written, version).
    static let pythonPackages = [("Jinja2", "2.10"), ("Flask", "0.12.2"), ("PyYAML", "6.0.2"), ("werkzeug", "3.1.9"), ("urllib3", "1.24.1")]

    private var server: LocalHTTPServer?
    private let cache: TemporaryDirectory
    private var built: [String: Task<(TemporaryDirectory, BuildResult), any Error>] = [:]

    init() { cache = try! TemporaryDirectory("vuln-build-cache") }

    /// The OCI layout reference of the image for `distro` (`debian12` or `debian13`).
    func image(_ distro: String) async throws -> (reference: String, result: BuildResult) {
        let task: Task<(TemporaryDirectory, BuildResult), any Error>
        if let existing = built[distro] {
            task = existing
        } else {
            let mirror = try mirrorURL()
            let cachePath = cache.path
            task = Task { try await Self.build(distro: distro, mirror: mirror, cache: cachePath) }
            built[distro] = task
        }
        let (directory, result) = try await task.value
        _ = directory
        return ("oci:" + directory("out/image") + ":latest", result)
    }

    private func mirrorURL() throws -> String {
        if let server { return server.baseURL }
        let started = try LocalHTTPServer(serving: SharedTestData.debianMirror)
        server = started
        return started.baseURL
    }

    private static func build(distro: String, mirror: String, cache: String) async throws -> (TemporaryDirectory, BuildResult) {
        let dir = try TemporaryDirectory("vuln-image-\(distro)")
        let site = dir.path("site")
        for (name, version) in pythonPackages {
            let info = site.appendingPathComponent("\(name)-\(version).dist-info")
            try FileManager.default.createDirectory(at: info, withIntermediateDirectories: true)
            try "Metadata-Version: 2.1\nName: \(name)\nVersion: \(version)\nSummary: test\n\nName: not-this\n"
                .write(to: info.appendingPathComponent("METADATA"), atomically: true, encoding: .utf8)
        }
        let suite = distro == "debian12" ? "bookworm" : "trixie"
        let python = distro == "debian12" ? "python3.11" : "python3.13"
        let yaml = """
            name: image
            base: python3
            distro: \(distro)
            mirror: \(mirror)
            suites: [\(suite)]
            archs: [amd64]
            app:
              - {source: site, target: /usr/lib/\(python)/site-packages}
            entrypoint: ["/usr/bin/python3"]

            """
        try yaml.write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        var options = BuildOptions(cacheDirectory: cache)
        options.outputDirectory = dir("out")
        options.outputs = [.oci(path: dir("out/image"), tag: "latest")]
        let result = try await ImageBuilder(build: try BuildFile.load(dir("distill.yaml")), options: options).run()
        return (dir, result)
    }
}
