import Audit
import AuditFixtures
import Foundation
import ImageBuild
import ImageTransport
import Report
import SBOM
import SystemSupport
import TestSupport
import Vulnerabilities

/// The presets and the python example built from the frozen mirror (shared with the audit tests), plus a python3 image
/// carrying old Python distributions (so that some counts are HIGH and CRITICAL), compared once per test process
/// against the real OSV records of ../shared.
actor ComparedImages {
    static let shared = ComparedImages()

    struct Image: Sendable {
        var name: String
        var reference: ImageReference
        var result: BuildResult
    }

    struct Compared: Sendable {
        var images: [Image]
        var report: ComparisonReport
        var databasePath: String
    }

    /// The Python distributions of the old-wheels image: (name, version), old enough for known vulnerabilities.
    static let oldDistributions = [("Jinja2", "2.10"), ("urllib3", "1.24.1"), ("Flask", "0.12.2")]

    /// What `inspect`, `sbom`, `check` and `scan` say of one image, each reading it on its own.
    struct Independent: Sendable {
        var inspection: Inspection
        var catalog: ImageCatalog
        var check: CheckReport
        var scan: ScanReport
    }

    private var task: Task<Compared, any Error>?
    private var independent: [String: Independent] = [:]
    private var keep: [TemporaryDirectory] = []
    private var server: LocalHTTPServer?

    func compared() async throws -> Compared {
        if let task { return try await task.value }
        let database = try TemporaryDirectory("compare-db")
        let build = try TemporaryDirectory("compare-old-wheels")
        let mirror = try LocalHTTPServer(serving: SharedTestData.debianMirror)
        keep += [database, build]
        server = mirror
        let task = Task { try await Self.make(database: database, build: build, mirror: mirror.baseURL) }
        self.task = task
        return try await task.value
    }

    /// The commands' own answers for the image named `name`, measured once per test process.
    func independent(_ name: String) async throws -> Independent {
        if let known = independent[name] { return known }
        let compared = try await compared()
        guard let image = compared.images.first(where: { $0.name == name }) else { throw FixtureError("no image \(name)") }
        let reference = image.reference
        let catalog = try await ImageCatalog.read(try reference.openSource(), name: name)
        // What `scan IMAGE` does: the catalog's packages as a scan subject, matched against the database.
        let subject = ImagePackageReader.subject(reference: reference.description, catalog: catalog)
        let measured = await Independent(
            inspection: try Inspector.inspect(try reference.openSource()), catalog: catalog,
            check: try HardeningCheck.run(try reference.openSource()),
            scan: try ScanSession(databasePath: compared.databasePath).report(for: subject))
        independent[name] = measured
        return measured
    }

    private static func make(database: TemporaryDirectory, build: TemporaryDirectory, mirror: String) async throws -> Compared {
        let store = try VulnerabilityStore(path: database("vuln.db"))
        _ = try OSVImporter(store: store).importPaths([SharedTestData.path("vuln/osv")])
        var images: [Image] = []
        for (preset, distro) in BuiltImages.presets {
            let built = try await BuiltImages.shared.preset(preset, distro: distro)
            images.append(Image(name: built.name, reference: built.reference, result: built.result))
        }
        let example = try await BuiltImages.shared.example("python-app")
        images.append(Image(name: "example-python-app", reference: example.reference, result: example.result))
        // Same packages as the python3 preset on debian12, so that preset's lock fits: nothing is resolved again.
        let python = try await BuiltImages.shared.preset("python3", distro: "debian12")
        try FileManager.default.copyItem(
            atPath: FilePaths.directory(of: python.outputDirectory) + "/distill.lock", toPath: build("distill.lock"))
        images.append(try await oldWheels(in: build, mirror: mirror))
        let comparer = Comparer(databasePath: store.path, tool: "distill test")
        let report = try await comparer.compare(images.map { (reference: $0.reference, name: $0.name) })
        return Compared(images: images, report: report, databasePath: store.path)
    }

    /// The python3 preset (debian12) with the `*.dist-info/METADATA` of old releases in its app layer.
    private static func oldWheels(in directory: TemporaryDirectory, mirror: String) async throws -> Image {
        for (name, version) in oldDistributions {
            let info = directory("site/\(name)-\(version).dist-info")
            try FileManager.default.createDirectory(atPath: info, withIntermediateDirectories: true)
            try "Metadata-Version: 2.1\nName: \(name)\nVersion: \(version)\n".write(toFile: info + "/METADATA", atomically: true, encoding: .utf8)
        }
        let yaml = """
            name: old-wheels
            base: python3
            distro: debian12
            mirror: \(mirror)
            suites: [bookworm]
            archs: [amd64]
            app:
              - {source: site, target: /usr/lib/python3/dist-packages}

            """
        try yaml.write(toFile: directory("distill.yaml"), atomically: true, encoding: .utf8)
        var options = BuildOptions(cacheDirectory: SharedBuildCache.directory.path)
        options.outputDirectory = directory("out")
        let result = try await ImageBuilder(build: try BuildFile.load(directory("distill.yaml")), options: options).run()
        return Image(name: "old-wheels", reference: .oci(path: directory("out/old-wheels"), tag: "latest"), result: result)
    }
}
