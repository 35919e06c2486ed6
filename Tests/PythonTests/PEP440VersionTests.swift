import Foundation
import Python
import TestSupport
import Testing

@Suite struct PEP440VersionTests {
    static let table = VersionTableLine.load("pypi-versions.txt")

    @Test func theTableIsThere() {
        // Every comparison line of the frozen table (comments and blank lines aside).
        #expect(Self.table.count == 37)
    }

    @Test(arguments: table)
    func orderAgreesWithTheTable(_ line: VersionTableLine) throws {
        let a = try PEP440Version(line.left)
        let b = try PEP440Version(line.right)
        #expect(VersionTableLine.relation(PEP440Version.compare(a, b)) == line.relation)
        #expect(VersionTableLine.relation(PEP440Version.compare(b, a)) == String(line.relation.reversed().map { $0 == "<" ? ">" : ($0 == ">" ? "<" : "=") }))
    }

    @Test(arguments: [
        ("1.0", "1.0"), ("1.0.0", "1.0.0"), ("v1.0", "1.0"), ("1!2.0", "1!2.0"), ("1.0-RC.1", "1.0rc1"), ("1.0alpha2", "1.0a2"),
        ("1.0.c3", "1.0rc3"), ("1.0-1", "1.0.post1"), ("1.0.rev", "1.0.post0"), ("1.0-dev", "1.0.dev0"),
        ("1.0+Ubuntu-1", "1.0+ubuntu.1"), ("2.0b1.post2.dev3", "2.0b1.post2.dev3"),
    ])
    func normalisesSpellings(_ input: String, _ expected: String) throws {
        let version = try PEP440Version(input)
        #expect(version.isPEP440)
        #expect(version.normalized == expected)
    }

    @Test func equalVersionsHashAlike() throws {
        let set: Set<PEP440Version> = [try PEP440Version("1.0"), try PEP440Version("1.0.0"), try PEP440Version("1.0.post0"), try PEP440Version("1.0-0")]
        #expect(set.count == 2)
    }

    @Test(arguments: ["0.1-bulbasaur", "1.0.0-SNAPSHOT", "2004d", "french toast"])
    func keepsLegacyVersionsBelowPEP440(_ text: String) throws {
        let legacy = try PEP440Version(text)
        #expect(!legacy.isPEP440)
        #expect(legacy < (try PEP440Version("0.0.dev0")))
    }

    @Test func refusesEmpty() {
        #expect(throws: PythonError.self) { try PEP440Version("  ") }
    }

    /// The `packaging` library (PyPI) is the reference: sort the same versions with it and with distill.
    @Test func sortsLikeThePackagingLibrary() throws {
        let versions = [
            "1.0", "1.0.post1", "1.0a1", "1.0b2.dev3", "1.0rc1", "1.0.dev4", "1!0.1", "0.9", "1.0+local.1", "1.0+local.a",
            "1.0.0.1", "2.0.0a1", "1.1.dev0", "1.0.post1.dev2", "1.0a1.post1", "10.0", "1.10", "1.2",
        ]
        let script = """
            import json, sys
            from packaging.version import Version
            print(json.dumps(sorted(json.load(sys.stdin), key=Version)))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(versions))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with packaging is needed (scripts/install-deps.sh test)")
        let expected = try JSONDecoder().decode([String].self, from: data)
        let ours = try versions.map { try PEP440Version($0) }.sorted().map(\.string)
        #expect(ours == expected)
    }
}

@Suite struct ProjectNameTests {
    @Test(arguments: [("Flask", "flask"), ("zope.interface", "zope-interface"), ("Foo__Bar-.baz", "foo-bar-baz"), ("jw.util", "jw-util")])
    func normalisesPerPEP503(_ name: String, _ expected: String) throws {
        #expect(try ProjectName(name).normalized == expected)
        #expect(ProjectName.normalize(name) == expected)
    }

    @Test(arguments: ["", "-foo", "foo bar", "bar_"])
    func refusesInvalidNames(_ name: String) {
        #expect(throws: PythonError.self) { try ProjectName(name) }
    }
}
