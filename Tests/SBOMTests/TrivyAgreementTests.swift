import AuditFixtures
import Foundation
import ImageBuild
import ImageTransport
import SBOM
import TestSupport
import Testing

/// The SBOM lists the Debian and Python packages Trivy 0.59 lists, on every preset and example built from the
/// frozen mirror and on an image distill did not make; its files validate; the bytes are stable.
@Suite(.serialized) struct TrivyAgreementTests {
    /// `name version` of Debian and (PEP 503-normalized) Python packages, as our catalog and Trivy list them.
    static func compare(_ catalog: ImageCatalog, layout: String) throws -> (ours: [String], trivy: [String]) {
        let ours = catalog.packages.filter { $0.ecosystem == .debian || $0.ecosystem == .python }
            .map { "\($0.ecosystem == .debian ? "debian" : "python") \($0.name) \($0.version)" }.sorted()
        let trivy = try PythonTools.trivyPackages(layout: layout).compactMap { package -> String? in
            switch package.type {
            case "debian": return "debian \(package.name) \(package.version)"
            case "python-pkg": return "python \(PythonCataloger.normalize(package.name)) \(package.version)"
            default: return nil
            }
        }.sorted()
        return (ours, trivy)
    }

    /// The image's catalog as `distill sbom` reads it.
    static func catalog(_ image: BuiltImages.Image) async throws -> ImageCatalog {
        let source = try image.reference.openSource()
        defer { source.close() }
        return try await ImageCatalog.read(source, name: ImageName.of(image.reference))
    }

    /// The build wrote both SBOM files; they are byte for byte what `distill sbom` gives for the built image.
    static func checkBuildOutputs(_ image: BuiltImages.Image, catalog: ImageCatalog) throws {
        #expect(image.result.images[0].sbom == catalog, "\(image.name): the build's catalog is what reading the image gives")
        for format in SBOMFormat.allCases {
            let path = image.outputDirectory + "/\(image.name)-amd64\(format.fileSuffix)"
            let written = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(written == (try format.encode(catalog)), "\(path) differs from `distill sbom`")
        }
        #expect(!FileManager.default.fileExists(atPath: image.outputDirectory + "/\(image.name)-amd64.packages"))
    }

    @Test func theSBOMsOfEveryPresetAndExampleValidate() async throws {
        var images: [BuiltImages.Image] = []
        for (preset, distro) in BuiltImages.presets { images.append(try await BuiltImages.shared.preset(preset, distro: distro)) }
        for example in BuiltImages.examples { images.append(try await BuiltImages.shared.example(example)) }
        try PythonTools.validateSBOMs(images.map { image in
            (image.outputDirectory + "/\(image.name)-amd64.spdx.json", image.outputDirectory + "/\(image.name)-amd64.cdx.json")
        })
    }

    @Test(arguments: BuiltImages.presets.indices)
    func presetAgreesWithTrivy(_ index: Int) async throws {
        let (preset, distro) = BuiltImages.presets[index]
        let image = try await BuiltImages.shared.preset(preset, distro: distro)
        let catalog = try await Self.catalog(image)
        let (ours, trivy) = try Self.compare(catalog, layout: image.layout)
        #expect(!ours.isEmpty)
        #expect(ours == trivy, "\(preset)/\(distro): only ours \(Set(ours).subtracting(trivy).sorted()), only Trivy's \(Set(trivy).subtracting(ours).sorted())")
        // Every package the build installed, and nothing else.
        #expect(ours.map { $0.split(separator: " ").dropFirst().joined(separator: "=") }.sorted() == image.result.images[0].packages.sorted())
        try Self.checkBuildOutputs(image, catalog: catalog)
    }

    @Test(arguments: BuiltImages.examples)
    func exampleAgreesWithTrivy(_ example: String) async throws {
        let image = try await BuiltImages.shared.example(example)
        let catalog = try await Self.catalog(image)
        let (ours, trivy) = try Self.compare(catalog, layout: image.layout)
        #expect(!ours.isEmpty)
        #expect(ours == trivy, "\(example): only ours \(Set(ours).subtracting(trivy).sorted()), only Trivy's \(Set(trivy).subtracting(ours).sorted())")
        try Self.checkBuildOutputs(image, catalog: catalog)
    }

    @Test func anImageDistillDidNotMakeAgreesWithTrivy() async throws {
        let dir = try TemporaryDirectory("umoci-image")
        let layout = try Self.umociImage(in: dir)
        let catalog = try await ImageCatalog.read(try ImageReference.oci(path: layout, tag: "latest").openSource(), name: "umoci")
        let (ours, trivy) = try Self.compare(catalog, layout: layout)
        #expect(ours.filter { $0.hasPrefix("debian ") }.count == 9)
        #expect(ours.filter { $0.hasPrefix("python ") } == [
            "python flask 3.1.1", "python jinja2 3.1.6", "python markupsafe 3.0.4", "python pyyaml 6.0.2", "python werkzeug 3.1.9",
        ])
        #expect(ours == trivy, "only ours \(Set(ours).subtracting(trivy).sorted()), only Trivy's \(Set(trivy).subtracting(ours).sorted())")
        let gawk = try #require(catalog.packages.first { $0.name == "gawk" })
        #expect(gawk.version == "1:5.2.1-2+b1" && gawk.sourceName == "gawk" && gawk.sourceVersion == "1:5.2.1-2")
        for format in SBOMFormat.allCases { try format.encode(catalog).write(to: dir.path("umoci\(format.fileSuffix)")) }
        try PythonTools.validateSBOMs(spdx: dir("umoci.spdx.json"), cycloneDX: dir("umoci.cdx.json"))
    }

    @Test func alpinePackagesAndGoModulesAgreeWithTrivy() async throws {
        let dir = try TemporaryDirectory("alpine-go")
        let installed = """
            C:Q1abc=
            P:musl
            V:1.2.4_git20230717-r4
            A:x86_64
            L:MIT
            o:musl
            m:Natanael Copa <ncopa@alpinelinux.org>

            P:busybox
            V:1.36.1-r15
            A:x86_64
            L:GPL-2.0-only
            o:busybox

            """
        let binary = try Data(contentsOf: URL(fileURLWithPath: try GoBuildInfoTests.binary.get()))
        let reference = try await HandMadeImage.write(
            layers: [
                HandMadeImage.tree([
                    ("etc/alpine-release", HandMadeImage.file("3.19.1\n")),
                    ("etc/os-release", HandMadeImage.file("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n")),
                    ("lib/apk/db/installed", HandMadeImage.file(installed)),
                ]),
                HandMadeImage.tree([("usr/local/bin/app", .file(.bytes(binary), mode: 0o755))]),
            ], to: dir("image"))
        let catalog = try await ImageCatalog.read(try reference.openSource(), name: "alpine-go")
        let trivy = try PythonTools.trivyPackages(layout: dir("image"))
        let ours = catalog.packages.filter { $0.ecosystem == .alpine }.map { "\($0.name) \($0.version)" }.sorted()
        #expect(ours == ["busybox 1.36.1-r15", "musl 1.2.4_git20230717-r4"])
        #expect(ours == trivy.filter { $0.type == "alpine" }.map { "\($0.name) \($0.version)" }.sorted())
        // Go: the main module and the toolchain as Trivy names them (it writes the toolchain with a "v").
        let go = Set(catalog.packages.filter { $0.ecosystem == .go && $0.name != "example.com/greeting" }.map { "\($0.name) \($0.version)" })
        let theirs = Set(trivy.filter { $0.type == "gobinary" && !$0.name.hasPrefix(".") }.map { package in
            "\(package.name) \(package.version.isEmpty ? "(devel)" : package.name == "stdlib" ? String(package.version.dropFirst()) : package.version)"
        })
        #expect(go == theirs)
        for format in SBOMFormat.allCases { try format.encode(catalog).write(to: dir.path("alpine\(format.fileSuffix)")) }
        #expect(try String(contentsOf: dir.path("alpine.cdx.json"), encoding: .utf8).contains("pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1"))
    }

    /// Unpacked .debs with status.d records and unpacked wheels, packed into a one-layer image by umoci.
    static func umociImage(in dir: TemporaryDirectory) throws -> String {
        for tool in ["umoci", "dpkg-deb"] where !Tool.exists(tool) {
            throw FixtureError("\(tool) is not installed: run scripts/install-deps.sh test")
        }
        let debs = try DebianRootfsFixture.debs([
            "base-files_12", "libc6_2.36", "libssl3_3.0", "tzdata_2026b", "libbz2-1.0_1.0.8-5", "gawk_5.2.1-2+b1", "libcom-err2_",
            "libgcc-s1_12", "gcc-12-base_12",
        ])
        let wheels = ["flask-3.1.1-py3-none-any.whl", "jinja2-3.1.6-py3-none-any.whl", "werkzeug-3.1.9-py3-none-any.whl",
            "markupsafe-3.0.4-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl",
            "PyYAML-6.0.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"]
        let rootfs = try DebianRootfsFixture.rootfs(name: "umoci-sbom", version: 1, debs: debs) { root in
            let site = root.appendingPathComponent("usr/lib/python3/dist-packages").path
            for wheel in wheels {
                try Tool.check(["python3", "-m", "zipfile", "-e", SharedTestData.path("pypi/files/" + wheel), site])
            }
        }
        let layout = dir("layout")
        try Tool.check(["umoci", "init", "--layout", layout])
        try Tool.check(["umoci", "new", "--image", layout + ":latest"])
        try Tool.check(["umoci", "unpack", "--rootless", "--image", layout + ":latest", dir("bundle")])
        try Tool.check(["cp", "-a", rootfs.path + "/.", dir("bundle/rootfs/")])
        try? FileManager.default.removeItem(atPath: dir("bundle/rootfs/.complete"))
        try Tool.check(["umoci", "repack", "--image", layout + ":latest", dir("bundle")])
        return layout
    }
}
