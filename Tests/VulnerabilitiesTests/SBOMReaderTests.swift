import Foundation
import FuzzTargets
import Testing
import TestSupport
import Vulnerabilities

/// scan reads CycloneDX and SPDX documents in the shapes Trivy and Syft write them (``SBOMSeeds``).
@Suite struct SBOMReaderTests {
    static let documents = [
        ("trivy-cyclonedx.json", SBOMSeeds.trivyCycloneDX), ("syft-cyclonedx.json", SBOMSeeds.syftCycloneDX),
        ("trivy-spdx.json", SBOMSeeds.trivySPDX), ("syft-spdx.json", SBOMSeeds.syftSPDX),
    ]

    @Test(arguments: documents.map(\.0))
    func readsEveryToolsShape(_ name: String) async throws {
        let dir = try TemporaryDirectory("sbom")
        let text = try #require(Self.documents.first { $0.0 == name }?.1)
        try text.write(toFile: dir(name), atomically: true, encoding: .utf8)
        let subject = try await ScanInput.read(dir(name))
        #expect(subject.debianEcosystem == "Debian:12")
        let byName = Dictionary(subject.packages.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["libssl3"]?.sourceName == "openssl")
        #expect(byName["libssl3"]?.sourceVersion == "3.0.20-1~deb12u2")
        #expect(byName["zlib1g"]?.version == "1:1.2.13.dfsg-1+b1")
        #expect(byName["zlib1g"]?.sourceName == "zlib")
        #expect(byName["zlib1g"]?.sourceVersion == "1:1.2.13.dfsg-1")
        let jinja = try #require(subject.packages.first { $0.ecosystem == "PyPI" })
        #expect(jinja.version == "2.10")
        #expect(subject.packages.contains { $0.ecosystem == "Go" && $0.name == "golang.org/x/net" && $0.version == "v0.22.0" })

        // Every shape gives the same findings.
        let store = try VulnerabilityStore(path: VulnFixtures.shared.path, readOnly: true)
        let findings = try VulnerabilityScanner(store: store).scan(subject).findings
        #expect(findings.filter { $0.package.name == "libssl3" }.count == 12)
        #expect(Set(findings.filter { $0.package.ecosystem == "PyPI" }.map(\.vulnerabilityID)) == ["CVE-2019-10906", "CVE-2020-28493"])
    }

    @Test func refusesWhatIsNotAnSBOM() async throws {
        let dir = try TemporaryDirectory("sbom")
        try #"{"hello": 1}"#.write(toFile: dir("x.json"), atomically: true, encoding: .utf8)
        await #expect(throws: VulnerabilityError.self) { try await ScanInput.read(dir("x.json")) }
        try "not json".write(toFile: dir("y.json"), atomically: true, encoding: .utf8)
        await #expect(throws: VulnerabilityError.self) { try await ScanInput.read(dir("y.json")) }
    }

    @Test(arguments: [
        ("pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&upstream=openssl", "deb", "debian", "libssl3", "3.0.20-1~deb12u2"),
        ("pkg:golang/github.com/foo/bar@v1.2.3#sub", "golang", "github.com/foo", "bar", "v1.2.3"),
        ("pkg:npm/%40scope/name@1.0.0", "npm", "@scope", "name", "1.0.0"),
    ])
    func parsesPackageURLs(_ text: String, _ type: String, _ namespace: String, _ name: String, _ version: String) throws {
        let purl = try #require(PackageURL(text))
        #expect(purl.type == type)
        #expect(purl.namespace == namespace)
        #expect(purl.name == name)
        #expect(purl.version == version)
    }

}
