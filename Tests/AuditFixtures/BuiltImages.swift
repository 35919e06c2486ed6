import Foundation
import ImageBuild
import ImageTransport
import TestSupport

/// distill's presets and examples, built once per test process from the frozen mirror served on 127.0.0.1.
public actor BuiltImages {
    /// One built image: its OCI layout and the output directory holding its SBOM files.
    public struct Image: Sendable {
        public var name: String
        /// `out/<name>`, tagged latest.
        public var layout: String
        public var outputDirectory: String
        public var result: BuildResult

        /// `oci:<layout>:latest`.
        public var reference: ImageReference { .oci(path: layout, tag: "latest") }
    }

    public static let shared = BuiltImages()

    /// The presets and distros the frozen mirror carries for amd64.
    public static let presets: [(preset: String, distro: String)] = ["static", "base-nossl", "base", "cc", "python3"]
        .flatMap { preset in ["debian12", "debian13"].map { (preset, $0) } }
    public static let examples = ["static-c", "cc", "python-app"]

    private let mirror: LocalHTTPServer
    private var directories: [TemporaryDirectory] = []
    private var built: [String: Image] = [:]

    private init() {
        // A test process without python3's http.server cannot build anything; fail loudly at first use.
        mirror = try! LocalHTTPServer(serving: SharedTestData.debianMirror)
    }

    /// A preset image (amd64).
    public func preset(_ preset: String, distro: String) async throws -> Image {
        let key = "preset \(preset) \(distro)"
        if let image = built[key] { return image }
        let suite = distro == "debian12" ? "bookworm" : "trixie"
        let name = "\(preset)-\(distro)"
        let yaml = "name: \(name)\nbase: \(preset)\narchs: [amd64]\ndistro: \(distro)\nmirror: \(mirror.baseURL)\nsuites: [\(suite)]\n"
        let directory = try TemporaryDirectory("audit-\(name)")
        let image = try await build(yaml, name: name, in: directory, explicitOutput: true)
        built[key] = image
        return image
    }

    /// An example from examples/ (its program compiled first), built for amd64.
    public func example(_ example: String) async throws -> Image {
        let key = "example \(example)"
        if let image = built[key] { return image }
        let directory = try TemporaryDirectory("audit-example-\(example)")
        let source = SharedTestData.packageRoot.path + "/examples/" + example
        for item in try FileManager.default.contentsOfDirectory(atPath: source) where item != "build" && item != "distill.lock" {
            try FileManager.default.copyItem(atPath: source + "/" + item, toPath: directory(item))
        }
        if FileManager.default.fileExists(atPath: directory("Makefile")) { try Tool.check(["make", "-s", "-C", directory.path]) }
        let yaml = try String(contentsOfFile: directory("distill.yaml"), encoding: .utf8)
            + "archs: [amd64]\nmirror: \(mirror.baseURL)\nsuites: [bookworm]\n"
        guard let name = yaml.split(separator: "\n").first(where: { $0.hasPrefix("name: ") })?.dropFirst(6) else {
            throw FixtureError("\(source)/distill.yaml has no name")
        }
        let image = try await build(yaml, name: String(name), in: directory, explicitOutput: false)
        built[key] = image
        return image
    }

    private func build(_ yaml: String, name: String, in directory: TemporaryDirectory, explicitOutput: Bool) async throws -> Image {
        directories.append(directory)
        try yaml.write(toFile: directory("distill.yaml"), atomically: true, encoding: .utf8)
        var options = BuildOptions(cacheDirectory: SharedBuildCache.directory.path)
        options.outputDirectory = directory("out")
        // Presets: only the OCI layout, with the SBOM files beside it; examples: the default outputs in out/.
        if explicitOutput { options.outputs = [.oci(path: directory("out/\(name)"), tag: "latest")] }
        let result = try await ImageBuilder(build: try BuildFile.load(directory("distill.yaml")), options: options).run()
        return Image(name: name, layout: directory("out/\(name)"), outputDirectory: directory("out"), result: result)
    }
}
