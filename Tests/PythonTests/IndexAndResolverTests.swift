import Foundation
import HTTP
import Python
import TestSupport
import Testing

/// The frozen PyPI slice served by the in-memory HTTP client (the same pages a static server gives).
enum FrozenPyPI {
    static let root = SharedTestData.testdata.appendingPathComponent("pypi")
    static let indexURL = "http://pypi.test/simple/"

    static func repository() -> (SimpleRepository, FakeHTTPClient) {
        let client = FakeHTTPClient()
        client.serveFiles(at: "http://pypi.test", from: root)
        // A static server answers a folder with its index.html; the fake serves files only.
        for project in (try? FileManager.default.contentsOfDirectory(atPath: root.path + "/simple")) ?? [] where !project.hasSuffix(".html") {
            client.respond(to: indexURL + project + "/", with: [.file(root.path + "/simple/\(project)/index.html", headers: ["Content-Type": "text/html"])])
        }
        return (SimpleRepository(indexURL: indexURL, http: client), client)
    }

    static func roots(_ lines: [String]) throws -> [RootRequirement] {
        try lines.enumerated().map { RootRequirement(try Requirement(parsing: $0.element), origin: "requirements.txt:\($0.offset + 1)") }
    }
}

@Suite struct IndexPageTests {
    @Test func readsTheHTMLPageWithDigestsAndMetadata() throws {
        let html = try String(contentsOf: FrozenPyPI.root.appendingPathComponent("simple/pyyaml/index.html"), encoding: .utf8)
        let files = try SimpleIndexPage.parse(Data(html.utf8), contentType: "text/html", url: "http://pypi.test/simple/pyyaml/")
        #expect(files.count == 4)
        let first = try #require(files.first)
        #expect(first.filename == "PyYAML-6.0.2-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl")
        #expect(first.url == "http://pypi.test/files/PyYAML-6.0.2-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl")
        #expect(first.sha256 == "5d225db5a45f21e78dd9358e58a98702a0302f2659a3c6cd320564b75b86f47c")
        #expect(first.metadata == .sha256("f7ea1d141e6c7aee2918f704bfb13c8b2c4d179d7fb8a9da3468cb021cf696da"))
        #expect(!first.isYanked)
    }

    @Test func readsYankedAndRequiresPythonAttributes() throws {
        let html = """
            <html><body><!-- <a href="nope">x</a> -->
            <A HREF='/f/a-1.0-py3-none-any.whl#sha256=\(String(repeating: "0", count: 64))' data-yanked="broken &amp; bad"
               data-requires-python="&gt;=3.12">a-1.0-py3-none-any.whl</A>
            <a href="https://cdn.example/a-0.9.tar.gz" data-dist-info-metadata=true>a-0.9.tar.gz</a>
            </body></html>
            """
        let files = try SimpleIndexPage.parseHTML(html, url: "https://pypi.example/simple/a/")
        #expect(files.count == 2)
        #expect(files[0].url == "https://pypi.example/f/a-1.0-py3-none-any.whl")
        #expect(files[0].yanked == "broken & bad")
        #expect(files[0].requiresPython == ">=3.12")
        #expect(files[1].metadata == .available)
        #expect(files[1].sha256 == nil)
    }

    @Test func readsPEP691JSON() throws {
        let json = """
            {"meta": {"api-version": "1.1"}, "name": "a", "files": [
              {"filename": "a-1.0-py3-none-any.whl", "url": "../../f/a-1.0-py3-none-any.whl", "hashes": {"sha256": "\(String(repeating: "1", count: 64))"},
               "requires-python": ">=3.8", "yanked": "use 1.1", "core-metadata": {"sha256": "\(String(repeating: "2", count: 64))"}, "size": 1234},
              {"filename": "a-1.1-py3-none-any.whl", "url": "https://f.example/a-1.1-py3-none-any.whl", "hashes": {}, "yanked": false,
               "dist-info-metadata": true}
            ]}
            """
        let files = try SimpleIndexPage.parse(Data(json.utf8), contentType: "application/vnd.pypi.simple.v1+json", url: "https://i.example/simple/a/")
        #expect(files.map(\.url) == ["https://i.example/f/a-1.0-py3-none-any.whl", "https://f.example/a-1.1-py3-none-any.whl"])
        #expect(files[0].yanked == "use 1.1")
        #expect(files[0].metadata == .sha256(String(repeating: "2", count: 64)))
        #expect(files[0].size == 1234)
        #expect(files[1].yanked == nil)
        #expect(files[1].metadata == .available)
    }

    @Test func refusesADigestThatIsNotSHA256() {
        let html = "<a href=\"a-1.0-py3-none-any.whl#sha256=../../etc\">a</a>"
        #expect(throws: PythonError.self) { try SimpleIndexPage.parseHTML(html, url: "https://i.example/simple/a/") }
    }

    @Test func readsCoreMetadata() throws {
        let data = try Data(contentsOf: FrozenPyPI.root.appendingPathComponent("files/flask-3.1.1-py3-none-any.whl.metadata"))
        let metadata = try CoreMetadata(parsing: data, file: "flask.metadata")
        #expect(metadata.name.normalized == "flask")
        #expect(metadata.version.string == "3.1.1")
        #expect(metadata.requiresDist.map(\.name.normalized).contains("importlib-metadata"))
        #expect(metadata.requiresPython?.description == ">=3.9")
        #expect(metadata.providesExtra.contains("async"))
    }
}

@Suite struct ResolverTests {
    static let amd64 = PythonPlatform(pythonVersion: "3.11.2", architecture: "amd64", glibc: (2, 36))!
    static let arm64 = PythonPlatform(pythonVersion: "3.11.2", architecture: "arm64", glibc: (2, 36))!

    static let trixie = PythonPlatform(pythonVersion: "3.13.5", architecture: "amd64", glibc: (2, 41))!

    @Test(arguments: [amd64, arm64, trixie])
    func resolvesFlaskWithoutImportlibMetadata(_ platform: PythonPlatform) async throws {
        let (repository, client) = FrozenPyPI.repository()
        let resolved = try await PythonResolver(finder: repository, platform: platform).resolve(try FrozenPyPI.roots(["flask", "pyyaml"]))
        #expect(resolved.map { "\($0.name)==\($0.version)" } == [
            "blinker==1.9.0", "click==8.5.1", "flask==3.1.1", "itsdangerous==2.2.0", "jinja2==3.1.6", "markupsafe==3.0.4", "pyyaml==6.0.2",
            "werkzeug==3.1.9",
        ])
        let yaml = try #require(resolved.first { $0.name.normalized == "pyyaml" })
        #expect(yaml.file.filename.contains("cp\(platform.major)\(platform.minor)-") && yaml.file.filename.contains(platform.machine))
        // Only pages and metadata files were fetched: no wheel.
        #expect(!client.received.contains { $0.url.hasSuffix(".whl") })
        #expect(resolved.first { $0.name.normalized == "markupsafe" }?.requiredBy == "requirements.txt:1 → flask 3.1.1")
    }

    @Test func anUpperBoundPicksTheOlderClick() async throws {
        let (repository, _) = FrozenPyPI.repository()
        let resolved = try await PythonResolver(finder: repository, platform: Self.amd64).resolve(try FrozenPyPI.roots(["click<8.2"]))
        #expect(resolved.map(\.version.string) == ["8.1.8"])
    }

    @Test func aSourceOnlyProjectIsNoWheelNamingIt() async throws {
        let (repository, _) = FrozenPyPI.repository()
        await #expect {
            try await PythonResolver(finder: repository, platform: Self.amd64).resolve(try FrozenPyPI.roots(["docopt"]))
        } throws: { error in
            let text = "\(error)"
            return text.contains("docopt 0.6.2") && text.contains("no wheel") && text.contains("CPython 3.11 on linux amd64")
                && text.contains("docopt-0.6.2.tar.gz")
        }
    }

    @Test func aConflictShowsTheChain() async throws {
        let (repository, _) = FrozenPyPI.repository()
        await #expect {
            try await PythonResolver(finder: repository, platform: Self.amd64).resolve(try FrozenPyPI.roots(["flask", "click<8.0"]))
        } throws: { error in
            let text = "\(error)"
            return text.contains("no version of click") && text.contains("click<8.0 from requirements.txt:2")
                && text.contains("click>=8.1.3 from requirements.txt:1 → flask 3.1.1")
        }
    }

    @Test func anUnknownProjectNamesWhoAskedForIt() async throws {
        let (repository, _) = FrozenPyPI.repository()
        await #expect {
            try await PythonResolver(finder: repository, platform: Self.amd64).resolve(try FrozenPyPI.roots(["no-such-thing"]))
        } throws: { error in "\(error)".contains("no project 'no-such-thing'") && "\(error)".contains("requirements.txt:1") }
    }

    @Test func aHashNarrowsTheChoice() async throws {
        let (repository, _) = FrozenPyPI.repository()
        let old = "63c132bbbed01578a06712a2d1f497bb62d9c1c0d329b7903a866228027263b2"  // click 8.1.8's wheel
        let root = RootRequirement(try Requirement(parsing: "click"), hashes: [old], origin: "requirements.txt:1")
        let resolved = try await PythonResolver(finder: repository, platform: Self.amd64).resolve([root])
        #expect(resolved.map(\.version.string) == ["8.1.8"])
        #expect(resolved.first?.hashes == [old])
    }

    @Test func aHashThatMatchesNoFileSaysSo() async throws {
        let (repository, _) = FrozenPyPI.repository()
        let root = RootRequirement(try Requirement(parsing: "click==8.5.1"), hashes: [String(repeating: "e", count: 64)], origin: "requirements.txt:4")
        await #expect {
            try await PythonResolver(finder: repository, platform: Self.amd64).resolve([root])
        } throws: { "\($0)".contains("no file of click") && "\($0)".contains("requirements.txt:4") && "\($0)".contains("--hash") }
    }

    @Test func backtracksToAnOlderVersionOnAConflict() async throws {
        // app 2.0 needs lib>=2 but tool (required first) needs lib<2: app 1.0 (lib>=1) is the answer.
        let finder = MemoryFinder([
            "tool-1.0": ["lib<2"], "app-2.0": ["lib>=2"], "app-1.0": ["lib>=1"], "lib-2.5": [], "lib-1.5": [],
        ])
        let resolved = try await PythonResolver(finder: finder, platform: Self.amd64).resolve(try FrozenPyPI.roots(["tool", "app"]))
        #expect(resolved.map { "\($0.name)==\($0.version)" } == ["app==1.0", "lib==1.5", "tool==1.0"])
    }

    @Test func aVersionForAnotherPythonIsPassedOverAndNamedWhenNothingIsLeft() async throws {
        let finder = MemoryFinder(["lib-2.0": [], "lib-1.0": []], python: ["lib-2.0": ">=3.12", "lib-1.0": ">=3.12"])
        let newer = MemoryFinder(["lib-2.0": [], "lib-1.0": []], python: ["lib-2.0": ">=3.12"])
        #expect(try await PythonResolver(finder: newer, platform: Self.amd64).resolve(try FrozenPyPI.roots(["lib"])).first?.version.string == "1.0")
        await #expect {
            try await PythonResolver(finder: finder, platform: Self.amd64).resolve(try FrozenPyPI.roots(["lib"]))
        } throws: { "\($0)".contains("lib 2.0 (from requirements.txt:1) needs Python >=3.12, the image has 3.11.2") }
    }

    @Test func yankedFilesAreSkippedUnlessPinned() async throws {
        let finder = MemoryFinder(["lib-2.0": [], "lib-1.0": []], yanked: ["lib-2.0"])
        let platform = Self.amd64
        #expect(try await PythonResolver(finder: finder, platform: platform).resolve(try FrozenPyPI.roots(["lib"])).first?.version.string == "1.0")
        #expect(try await PythonResolver(finder: finder, platform: platform).resolve(try FrozenPyPI.roots(["lib==2.0"])).first?.version.string == "2.0")
    }

    @Test func extrasBringTheirDependencies() async throws {
        let finder = MemoryFinder(["app-1.0": ["lib; extra == 'fast'", "other; python_version < '3'"], "lib-1.0": [], "other-1.0": []])
        let plain = try await PythonResolver(finder: finder, platform: Self.amd64).resolve(try FrozenPyPI.roots(["app"]))
        #expect(plain.map(\.name.normalized) == ["app"])
        let fast = try await PythonResolver(finder: finder, platform: Self.amd64).resolve(try FrozenPyPI.roots(["app[fast]"]))
        #expect(fast.map(\.name.normalized) == ["app", "lib"])
    }
}

/// An index in memory: `name-version` → its Requires-Dist; every version has a pure wheel.
struct MemoryFinder: PackageFinder {
    let projects: [String: [String]]
    let yanked: Set<String>
    /// `name-version` → its Requires-Python.
    let python: [String: String]

    init(_ projects: [String: [String]], yanked: Set<String> = [], python: [String: String] = [:]) {
        self.projects = projects
        self.yanked = yanked
        self.python = python
    }

    func files(of project: ProjectName, requiredBy: String) async throws(PythonError) -> [IndexFile] {
        let list = projects.keys.filter { $0.hasPrefix(project.normalized + "-") }.sorted()
        if list.isEmpty { throw .noSuchProject(name: project.normalized, index: "memory", requiredBy: requiredBy) }
        return list.map { key in
            IndexFile(
                filename: "\(key)-py3-none-any.whl", url: "https://memory.test/\(key)-py3-none-any.whl",
                sha256: String(repeating: "a", count: 64), yanked: yanked.contains(key) ? "" : nil, metadata: .available)
        }
    }

    func metadata(of file: IndexFile, project: ProjectName) async throws(PythonError) -> CoreMetadata {
        let key = String(file.filename.dropLast("-py3-none-any.whl".count))
        let version = String(key.split(separator: "-").last ?? "")
        let requires = try (projects[key] ?? []).map { text throws(PythonError) in try Requirement(parsing: text) }
        return CoreMetadata(
            name: project, version: try PEP440Version(version), requiresDist: requires, requiresPython: try python[key].map { text throws(PythonError) in try SpecifierSet(text) })
    }
}

@Suite struct JSONIndexTests {
    /// A PEP 691 server: the resolver asks for JSON and reads it (a static server cannot negotiate it).
    @Test func resolvesFromTheJSONForm() async throws {
        let client = FakeHTTPClient()
        let sha = "8bb5376d2006950386f8c6427613334a2acadc5f559cb80e638d00b4df957e37"
        let metadata = try Data(contentsOf: FrozenPyPI.root.appendingPathComponent("files/click-8.5.1-py3-none-any.whl.metadata"))
        let json = """
            {"meta": {"api-version": "1.1"}, "name": "click", "files": [{"filename": "click-8.5.1-py3-none-any.whl",
             "url": "https://files.test/click-8.5.1-py3-none-any.whl", "hashes": {"sha256": "\(sha)"}, "core-metadata": true}]}
            """
        client.respond(to: "https://index.test/simple/click/", with: [.ok(Data(json.utf8), headers: ["Content-Type": SimpleIndexPage.jsonType])])
        client.respond(to: "https://files.test/click-8.5.1-py3-none-any.whl.metadata", with: [.ok(metadata)])
        let repository = SimpleRepository(indexURL: "https://index.test/simple", http: client)
        let resolved = try await PythonResolver(finder: repository, platform: ResolverTests.amd64).resolve(try FrozenPyPI.roots(["click"]))
        #expect(resolved.map(\.file.sha256) == [sha])
        #expect(client.received.first?.headers["Accept"]?.hasPrefix(SimpleIndexPage.jsonType) == true)
    }

    @Test func aMetadataFileThatDoesNotMatchItsDigestIsRefused() async throws {
        let client = FakeHTTPClient()
        let html = "<a href=\"/f/click-8.5.1-py3-none-any.whl#sha256=\(String(repeating: "1", count: 64))\" data-core-metadata=\"sha256=\(String(repeating: "2", count: 64))\">click-8.5.1-py3-none-any.whl</a>"
        client.respond(to: "https://index.test/simple/click/", with: [.ok(Data(html.utf8), headers: ["Content-Type": "text/html"])])
        client.respond(to: "https://index.test/f/click-8.5.1-py3-none-any.whl.metadata", with: [.ok(Data("Name: click\nVersion: 8.5.1\n".utf8))])
        let repository = SimpleRepository(indexURL: "https://index.test/simple/", http: client)
        await #expect {
            _ = try await PythonResolver(finder: repository, platform: ResolverTests.amd64).resolve(try FrozenPyPI.roots(["click"]))
        } throws: { "\($0)".contains("click-8.5.1-py3-none-any.whl.metadata has sha256") }
    }

    @Test func indexFilesRoundTrip() throws {
        let file = IndexFile(
            filename: "a-1.0-py3-none-any.whl", url: "https://x.test/a-1.0-py3-none-any.whl", sha256: String(repeating: "a", count: 64),
            requiresPython: ">=3.9", yanked: "", metadata: .sha256(String(repeating: "b", count: 64)), size: 10)
        #expect(try JSONDecoder().decode(IndexFile.self, from: JSONEncoder().encode(file)) == file)
    }
}
