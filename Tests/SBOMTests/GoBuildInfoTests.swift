import AuditFixtures
import Foundation
import ImageFormat
import TestSupport
import Testing

@testable import SBOM

/// Go build info read from a real binary, compared with what `go version -m` prints for it.
@Suite(.serialized) struct GoBuildInfoTests {
    /// A Go program with one dependency replaced by a local directory, built offline.
    static let binary: Result<String, any Error> = Result {
        guard Tool.exists("go") else {
            throw FixtureError("go is not installed: run scripts/install-deps.sh test (it installs golang-go)")
        }
        let dir = try TemporaryDirectory("go-program")
        try FileManager.default.createDirectory(atPath: dir("greeting"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir("app"), withIntermediateDirectories: true)
        try "module example.com/greeting\n\ngo 1.19\n".write(toFile: dir("greeting/go.mod"), atomically: true, encoding: .utf8)
        try "package greeting\n\nfunc Hello() string { return \"hi\" }\n".write(toFile: dir("greeting/greeting.go"), atomically: true, encoding: .utf8)
        try "module example.com/app\n\ngo 1.19\n\nrequire example.com/greeting v1.4.0\n\nreplace example.com/greeting => ../greeting\n"
            .write(toFile: dir("app/go.mod"), atomically: true, encoding: .utf8)
        try "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/greeting\"\n)\n\nfunc main() { fmt.Println(greeting.Hello()) }\n"
            .write(toFile: dir("app/main.go"), atomically: true, encoding: .utf8)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("distill-test-gocache").path
        try Tool.check(
            ["go", "build", "-buildvcs=false", "-o", dir("app/app"), "."],
            environment: ["GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOCACHE": cache, "GOPATH": dir("gopath")],
            cwd: dir("app"))
        keep.append(dir)
        return dir("app/app")
    }
    nonisolated(unsafe) static var keep: [TemporaryDirectory] = []

    /// Scans a file through the streaming search in chunks of `size` bytes.
    private func scan(_ data: Data, chunk size: Int) throws -> GoBuildInfo? {
        var found: GoBuildInfo?
        let search = GoBinaryScanner.Search { found = $0 }
        var offset = 0
        while offset < data.count {
            let end = min(offset + size, data.count)
            let more = try data[offset..<end].withUnsafeBytes { try search.consume($0) }
            offset = end
            if !more { break }
        }
        try search.finish()
        return found
    }

    @Test(arguments: [7, 4093, 1 << 16])
    func buildInfoMatchesGoVersionM(_ chunk: Int) throws {
        let path = try Self.binary.get()
        let info = try #require(try scan(try Data(contentsOf: URL(fileURLWithPath: path)), chunk: chunk))
        // `go version -m` prints the version, then tab-indented path/mod/dep/=>/build lines.
        let listing = try Tool.check(["go", "version", "-m", path])
        let lines = listing.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(listing.hasPrefix("\(path): \(info.goVersion)\n"))
        #expect(lines.first { $0.count > 2 && $0[1] == "path" }?[2] == info.path)
        let mod = try #require(lines.first { $0.count > 3 && $0[1] == "mod" })
        #expect(info.main?.path == mod[2] && info.main?.version == mod[3])
        let deps = lines.filter { $0.count > 3 && $0[1] == "dep" }.map { "\($0[2])@\($0[3])" }
        #expect(info.dependencies.map { "\($0.path)@\($0.version)" } == deps)
        #expect(info.dependencies.first?.replacement?.path == "../greeting")
        let settings = lines.filter { $0.count > 2 && $0[1] == "build" }.compactMap { line -> (String, String)? in
            guard let equals = line[2].firstIndex(of: "=") else { return nil }
            return (String(line[2][..<equals]), String(line[2][line[2].index(after: equals)...]))
        }
        #expect(Dictionary(settings, uniquingKeysWith: { $1 }) == info.settings)
    }

    @Test func theCatalogListsTheMainModuleItsDependencyAndTheStandardLibrary() async throws {
        let path = try Self.binary.get()
        let dir = try TemporaryDirectory("go-image")
        let binary = try Data(contentsOf: URL(fileURLWithPath: path))
        let reference = try await HandMadeImage.write(
            layers: [HandMadeImage.tree([("usr/local/bin/app", .file(.bytes(binary), mode: 0o755)), ("usr/local/bin/data", .file(.bytes(binary)))])],
            to: dir("image"))
        let source = try reference.openSource()
        let catalog = try await ImageCatalog.read(source, name: "go-app")
        let go = catalog.packages.filter { $0.ecosystem == .go }
        let info = try #require(try scan(binary, chunk: 1 << 16))
        // Only the executable is read: the same bytes without an x bit are data.
        #expect(go.map(\.location) == Array(repeating: "usr/local/bin/app", count: 3))
        #expect(go.map { "\($0.name)@\($0.version)" }.sorted()
            == ["example.com/app@(devel)", "example.com/greeting@(devel)", "stdlib@\(info.goVersion.dropFirst(2))"])
        #expect(go.first { $0.name == "example.com/app" }?.isMainModule == true)
        let bom = CycloneDXWriter.bom(for: catalog)
        // The dependency is replaced by a local directory: no version is claimed for it.
        #expect(bom.components?.contains { $0.purl == "pkg:golang/example.com/greeting" && $0.type == "library" } == true)
        #expect(bom.components?.contains { $0.purl == "pkg:golang/example.com/app" && $0.type == "application" } == true)
        let output = try TemporaryDirectory("go-sbom")
        try SBOMFormat.spdxJSON.encode(catalog).write(to: output.path("go.spdx.json"))
        try SBOMFormat.cycloneDXJSON.encode(catalog).write(to: output.path("go.cdx.json"))
        try PythonTools.validateSBOMs(spdx: output("go.spdx.json"), cycloneDX: output("go.cdx.json"))
    }

    @Test func strayMagicWithoutAValidHeaderIsIgnored() throws {
        var data = Data([0x7F, 0x45, 0x4C, 0x46]) + Data(count: 28)
        // Aligned magic, but a pointer size of 3: not a header.
        data += Data(GoBuildInfo.magic) + Data([3, 2]) + Data(count: 16)
        // Unaligned magic with a valid-looking header after it.
        data += Data(count: 5) + Data(GoBuildInfo.magic) + Data([8, 2]) + Data(count: 16) + Data([4]) + Data("go1x".utf8) + Data([0])
        #expect(try scan(data, chunk: 3) == nil)
        #expect(GoBuildInfo.decode(UnsafeRawBufferPointer(start: nil, count: 0)) == .needMore(GoBuildInfo.headerSize))
    }
}
