import Archive
import AuditFixtures
import Foundation
import ImageFormat
import ImageTransport
import TestSupport
import Testing

@testable import SBOM

/// Documents from a hand-made two-layer image: what later layers delete is gone, each package keeps its layer,
/// the bytes are stable, both validators accept them, and every model survives a JSON round trip.
struct SBOMDocumentTests {
    static func twoLayerImage(at path: String) async throws -> ImageReference {
        let lower = HandMadeImage.tree([
            ("usr/lib/os-release", HandMadeImage.file("ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Distroless\"\n")),
            ("etc/os-release", .symlink(to: "../usr/lib/os-release")),
            ("var/lib/dpkg/status.d/keep", HandMadeImage.file("Package: keep\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: A Person <a@example.org>\n")),
            ("var/lib/dpkg/status.d/gone", HandMadeImage.file("Package: gone\nVersion: 2.0\nArchitecture: all\n")),
            ("var/lib/dpkg/status.d/keep.md5sums", HandMadeImage.file("d41d8cd98f00b204e9800998ecf8427e  usr/bin/keep\n")),
            ("usr/share/doc/keep/copyright", HandMadeImage.file(
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: x\nLicense: GPL-2+ and Custom-One\n")),
            ("usr/lib/python3/dist-packages/Old_Pkg-1.0.dist-info/METADATA", HandMadeImage.file("Name: Old_Pkg\nVersion: 1.0\n")),
        ])
        let upper = HandMadeImage.tree([
            ("var/lib/dpkg/status.d/.wh.gone", HandMadeImage.file("")),
            ("usr/lib/python3/dist-packages/Old_Pkg-1.0.dist-info/METADATA", HandMadeImage.file("Name: Old_Pkg\nVersion: 1.1\nLicense: MIT\n")),
            ("app/site/Flask-3.0.3.dist-info/METADATA", HandMadeImage.file("Metadata-Version: 2.1\nName: Flask\nVersion: 3.0.3\n")),
        ])
        return try await HandMadeImage.write(layers: [lower, upper], history: ["os", "app"], to: path)
    }

    @Test func laterLayersDeleteAndReplacePackagesAndEachKeepsItsLayer() async throws {
        let dir = try TemporaryDirectory("sbom-two-layers")
        let source = try await Self.twoLayerImage(at: dir("image")).openSource()
        let catalog = try await ImageCatalog.read(source, name: "two")
        #expect(catalog.packages.map { "\($0.ecosystem.rawValue) \($0.name) \($0.version) layer \($0.layer)" } == [
            "debian keep 1.0-1 layer 0", "python flask 3.0.3 layer 1", "python old-pkg 1.1 layer 1",
        ])
        #expect(catalog.distribution == Distribution(id: "debian", versionID: "12", prettyName: "Distroless"))
        #expect(catalog.packages[0].licenses == ["Custom-One", "GPL-2+"])
        let spdx = SPDXWriter.document(for: catalog)
        let keep = try #require(spdx.packages?.first { $0.name == "keep" })
        #expect(keep.licenseDeclared == "GPL-2.0-or-later AND LicenseRef-Custom-One")
        #expect(keep.supplier == "Person: A Person (a@example.org)")
        #expect(keep.externalRefs?.first?.referenceLocator == "pkg:deb/debian/keep@1.0-1?arch=amd64&distro=debian-12")
        #expect(keep.sourceInfo?.contains("/var/lib/dpkg/status.d/keep in layer 1 (\(catalog.subject.diffIDs[0]))") == true)
        #expect(spdx.hasExtractedLicensingInfos?.map(\.licenseId) == ["LicenseRef-Custom-One"])
        #expect(spdx.relationships?.filter { $0.relationshipType == "CONTAINS" }.count == 4)
        let bom = CycloneDXWriter.bom(for: catalog)
        let flask = try #require(bom.components?.first { $0.name == "flask" })
        #expect(flask.purl == "pkg:pypi/flask@3.0.3")
        #expect(flask.properties?.contains(CycloneDXProperty(name: "distill:layer:diffID", value: catalog.subject.diffIDs[1].description)) == true)
        #expect(bom.metadata?.component?.version == catalog.subject.manifestDigest.description)
        #expect(bom.metadata?.timestamp == "2023-11-14T22:13:20Z")
    }

    @Test func theSameImageGivesTheSameBytesAndBothValidatorsAcceptThem() async throws {
        let dir = try TemporaryDirectory("sbom-stable")
        let reference = try await Self.twoLayerImage(at: dir("image"))
        for format in SBOMFormat.allCases {
            let first = try format.encode(await ImageCatalog.read(try reference.openSource(), name: "two"))
            // A copy of the image elsewhere, read again: the same document.
            try? FileManager.default.removeItem(atPath: dir("copy"))
            try FileManager.default.copyItem(atPath: dir("image"), toPath: dir("copy"))
            let second = try format.encode(await ImageCatalog.read(try ImageReference.oci(path: dir("copy"), tag: nil).openSource(), name: "two"))
            #expect(first == second, "\(format)")
            try first.write(to: dir.path("two\(format.fileSuffix)"))
        }
        try PythonTools.validateSBOMs(spdx: dir("two.spdx.json"), cycloneDX: dir("two.cdx.json"))
        // The purls parse with the reference implementation.
        try PythonTools.run(
            """
            import json, sys
            from packageurl import PackageURL
            for c in json.load(open(sys.argv[1]))["components"]:
                if "purl" in c:
                    assert PackageURL.from_string(c["purl"]).to_string() == c["purl"], c["purl"]
            """, [dir("two.cdx.json")])
    }

    /// `distill sbom` keeps catalogs by manifest digest: the document from the cache is byte for byte the one
    /// read from the layers, and with the layers gone it still comes (so nothing was read from them).
    @Test func aCachedCatalogGivesTheSameBytesWithoutReadingTheLayers() async throws {
        let dir = try TemporaryDirectory("sbom-cache")
        let reference = try await Self.twoLayerImage(at: dir("image"))
        let cache = CatalogCache(directory: dir("catalogs"))
        let fresh = try await ImageCatalog.read(try reference.openSource(), name: "two")
        _ = try await ImageCatalog.read(try reference.openSource(), name: "other name", cache: cache)
        for blob in try FileManager.default.contentsOfDirectory(atPath: dir("image") + "/blobs/sha256") {
            let path = dir("image") + "/blobs/sha256/" + blob
            if try Data(contentsOf: URL(fileURLWithPath: path)).starts(with: [0x1F, 0x8B]) { try FileManager.default.removeItem(atPath: path) }
        }
        await #expect(throws: (any Error).self) { try await ImageCatalog.read(try reference.openSource(), name: "two") }
        let cached = try await ImageCatalog.read(try reference.openSource(), name: "two", cache: cache)
        for format in SBOMFormat.allCases {
            #expect(try format.encode(cached) == format.encode(fresh), "\(format)")
        }
    }

    @Test(arguments: [
        ("2024-05-01T10:20:30Z", "2024-05-01T10:20:30Z"), ("2024-05-01T10:20:30.123456789Z", "2024-05-01T10:20:30Z"),
        ("2024-05-01T12:20:30+02:00", "2024-05-01T10:20:30Z"), ("nonsense", "1970-01-01T00:00:00Z"),
    ])
    func timestampsAreNormalizedToSPDXForm(_ created: String, _ expected: String) {
        #expect(SBOMIdentity.timestamp(created) == expected)
    }

    @Test func serialNumbersAreUUIDsDerivedFromTheSeed() {
        let uuid = SBOMIdentity.uuid("x")
        #expect(uuid == SBOMIdentity.uuid("x") && uuid != SBOMIdentity.uuid("y"))
        let pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
        #expect(uuid.wholeMatch(of: pattern) != nil)
    }

    @Test func everyModelSurvivesAJSONRoundTrip() async throws {
        let dir = try TemporaryDirectory("sbom-round-trip")
        let catalog = try await ImageCatalog.read(try Self.twoLayerImage(at: dir("image")).openSource(), name: "two")
        try roundTrip(catalog)
        try roundTrip(LayerCatalog(distribution: catalog.distribution, packages: catalog.packages))
        try roundTrip(SPDXWriter.document(for: catalog))
        try roundTrip(
            GoBuildInfo(
                goVersion: "go1.22.3", path: "example.com/app", main: GoBuildInfo.Module(path: "example.com/app", version: "(devel)"),
                dependencies: [GoBuildInfo.Module(path: "a.b/c", version: "v1.0.0", sum: "h1:x", replacement: .init(path: "d.e/f", version: "v1.0.1", sum: nil))],
                settings: ["GOOS": "linux"]))
        let files = try await ImageReader.read(try Self.twoLayerImage(at: dir("again")).openSource(), observers: [])
        for layer in files.layers { try roundTrip(layer) }
        try roundTrip(CycloneDXWriter.bom(for: catalog))
        // Members the writers leave out, filled in by hand.
        let pointer = SPDXSnippetRange.Pointer(reference: "SPDXRef-File", offset: 1)
        try roundTrip(
            SPDXDocument(
                name: "n", documentNamespace: "https://example.org/n", creationInfo: SPDXCreationInfo(created: "2024-01-01T00:00:00Z", creators: ["Tool: t"]),
                externalDocumentRefs: [SPDXExternalDocumentRef(externalDocumentId: "DocumentRef-x", spdxDocument: "https://example.org/x", checksum: SPDXChecksum(algorithm: "SHA1", checksumValue: "00"))],
                hasExtractedLicensingInfos: [SPDXExtractedLicensingInfo(licenseId: "LicenseRef-x", extractedText: "t", crossRefs: [SPDXCrossRef(url: "https://example.org", isLive: true)])],
                annotations: [SPDXAnnotation(annotationDate: "2024-01-01T00:00:00Z", annotationType: "OTHER", annotator: "Tool: t", comment: "c")],
                packages: [SPDXPackage(SPDXID: "SPDXRef-P", name: "p", packageVerificationCode: SPDXPackageVerificationCode(packageVerificationCodeValue: "00"))],
                files: [SPDXFile(SPDXID: "SPDXRef-File", fileName: "./f", fileTypes: ["TEXT"], checksums: [SPDXChecksum(algorithm: "SHA1", checksumValue: "00")])],
                snippets: [SPDXSnippet(SPDXID: "SPDXRef-S", snippetFromFile: "SPDXRef-File", ranges: [SPDXSnippetRange(startPointer: pointer, endPointer: pointer)])]))
        try roundTrip(
            CycloneDXBOM(
                metadata: CycloneDXMetadata(lifecycles: [CycloneDXLifecycle(phase: "build")], authors: [CycloneDXContact(name: "a", email: "a@example.org")],
                    supplier: CycloneDXOrganization(name: "s", url: ["https://example.org"]), licenses: [.expression("MIT OR Apache-2.0")]),
                services: [CycloneDXService(bomRef: "svc", name: "api")],
                externalReferences: [CycloneDXExternalReference(url: "https://example.org", type: "website")],
                compositions: [CycloneDXComposition(aggregate: "complete", assemblies: ["a"])],
                properties: [CycloneDXProperty(name: "k", value: "v")],
                annotations: [CycloneDXAnnotation(subjects: ["a"], annotator: .init(individual: CycloneDXContact(name: "n")), timestamp: "2024-01-01T00:00:00Z", text: "t")]))
    }

    private func roundTrip<T: Codable & Equatable>(_ value: T) throws {
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(T.self, from: data) == value, "\(T.self)")
    }
}
