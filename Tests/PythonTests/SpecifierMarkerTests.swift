import Foundation
import Python
import TestSupport
import Testing

@Suite struct SpecifierTests {
    /// (specifier, version, contained with the default pre-release rule), as the `packaging` library answers.
    static let cases: [(String, String, Bool)] = [
        (">=1.0", "1.0", true), (">=1.0", "0.9", false), ("<2", "2.0", false), ("<2", "1.9.9", true),
        ("<2.0", "2.0rc1", false), ("<2.0rc2", "2.0rc1", true), (">1.0", "1.0.post1", false), (">1.0.post1", "1.0.post2", true),
        (">1.0", "1.0+local", false), ("==1.0", "1.0.0", true), ("==1.0", "1.0+abc", true), ("==1.0+abc", "1.0", false),
        ("==1.4.*", "1.4.5", true), ("==1.4.*", "1.5", false), ("==1.*", "1", true), ("!=1.4.*", "1.4.2", false),
        ("!=1.4.*", "1.5.0", true), ("~=2.2", "2.3", true), ("~=2.2", "3.0", false), ("~=2.2.1", "2.2.5", true),
        ("~=2.2.1", "2.3", false), ("~=1.4.5a4", "1.4.5", true), (">=1.0,<2.0", "1.5", true), (">=1.0,<2.0", "2.0", false),
        ("<8.2", "8.1.8", true), ("<8.2", "8.5.1", false), (">=1.0", "2.0a1", false), (">=2.0a1", "2.0a2", true),
        ("===1.0", "1.0", true), ("===1.0", "1.0.0", false), ("<=1.0", "1.0.post1", false), (">=1!1.0", "2.0", false),
    ]

    @Test(arguments: cases)
    func matchesAsPEP440Says(_ specifier: String, _ version: String, _ expected: Bool) throws {
        let set = try SpecifierSet(specifier)
        #expect(set.contains(try PEP440Version(version)) == expected, "\(version) in \(specifier)")
    }

    /// The operators through the reference implementation (pip's `packaging`), pre-releases allowed on both sides:
    /// recent `packaging` releases changed `contains`' default for pre-releases, while resolution keeps PEP 440's
    /// rule (a pre-release only when a clause names one, or nothing else fits), which the table above checks.
    @Test func theOperatorsAgreeWithPackaging() throws {
        let script = """
            import json, sys
            from packaging.specifiers import SpecifierSet
            from packaging.version import Version
            print(json.dumps([SpecifierSet(s).contains(Version(v), prereleases=True) for s, v in json.loads(sys.argv[1])]))
            """
        let input = try JSONSerialization.data(withJSONObject: Self.cases.map { [$0.0, $0.1] })
        let output = try Tool.check(["python3", "-c", script, String(decoding: input, as: UTF8.self)])
        let answers = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [Bool])
        let ours = try Self.cases.map { try SpecifierSet($0.0).contains(try PEP440Version($0.1), preReleases: true) }
        #expect(answers == ours)
        #expect(answers.count == Self.cases.count)
    }

    @Test(arguments: ["1.0", ">=", "~=1", ">=1.0.*", "==1.0+abc.*", "<=1.0+local", ">=1.0,", "=>1.0"])
    func refusesWhatPEP440Refuses(_ text: String) {
        #expect(throws: PythonError.self) { try SpecifierSet(text) }
    }

    @Test func pinsAllowYankedFilesOnlyForExactClauses() throws {
        let version = try PEP440Version("1.2")
        #expect(try SpecifierSet("==1.2").pinned(version))
        #expect(try SpecifierSet("===1.2").pinned(version))
        #expect(try !SpecifierSet("==1.*").pinned(version))
        #expect(try !SpecifierSet(">=1.2").pinned(version))
    }
}

@Suite struct MarkerTests {
    static let debian12 = PythonPlatform(pythonVersion: "3.11.2", architecture: "amd64", glibc: (2, 36))!
    static let debian13arm = PythonPlatform(pythonVersion: "3.13.5", architecture: "arm64", glibc: (2, 41))!

    @Test(arguments: [
        ("python_version < \"3.10\"", false, false), ("python_version >= \"3.8\"", true, true),
        ("python_version == \"3.11\"", true, false), ("python_full_version >= '3.13.1'", false, true),
        ("platform_machine == 'x86_64'", true, false), ("platform_machine == \"aarch64\" and sys_platform == \"linux\"", false, true),
        ("sys_platform == 'win32' or os_name == 'posix'", true, true), ("'linux' in sys_platform", true, true),
        ("platform_python_implementation != 'PyPy'", true, true), ("implementation_name == \"cpython\"", true, true),
        ("(python_version < '3.12' or platform_machine == 'aarch64') and os_name == 'posix'", true, true),
        ("platform_system == \"Windows\"", false, false), ("python_version not in '3.12, 3.13'", true, false),
    ])
    func evaluatesForTheImageNotTheBuilder(_ text: String, _ onDebian12: Bool, _ onDebian13Arm: Bool) throws {
        let marker = try Marker(parsing: text)
        #expect(marker.evaluate(Self.debian12.markerEnvironment) == onDebian12, "\(text) on debian12 amd64")
        #expect(marker.evaluate(Self.debian13arm.markerEnvironment) == onDebian13Arm, "\(text) on debian13 arm64")
    }

    @Test func extrasAreComparedNormalised() throws {
        let marker = try Marker(parsing: "extra == 'Async_IO'")
        let environment = Self.debian12.markerEnvironment
        #expect(marker.evaluate(environment, extra: "async-io"))
        #expect(!marker.evaluate(environment, extra: nil))
        #expect(marker.mentionsExtra)
    }

    @Test(arguments: ["python_version <", "python_versions == '3'", "os_name == 'a' and", "(os_name == 'a'", "os_name = 'a'", "os_name == 'a"])
    func refusesBrokenMarkers(_ text: String) {
        #expect(throws: PythonError.self) { try Marker(parsing: text) }
    }
}

@Suite struct RequirementTests {
    @Test(arguments: [
        ("flask", "flask", [String](), ""), ("Flask[async, dotenv]>=3.0,<4", "flask", ["async", "dotenv"], ">=3.0,<4"),
        ("pyyaml (==6.0.2)", "pyyaml", [], "==6.0.2"), ("zope.interface ~= 6.0", "zope-interface", [], "~=6.0"),
        ("importlib-metadata>=3.6.0; python_version < \"3.10\"", "importlib-metadata", [], ">=3.6.0"),
    ])
    func parsesPEP508(_ text: String, _ name: String, _ extras: [String], _ specifier: String) throws {
        let requirement = try Requirement(parsing: text)
        #expect(requirement.name.normalized == name)
        #expect(requirement.extras == extras)
        #expect(requirement.specifier.description == specifier)
    }

    @Test func aFalseMarkerDoesNotApply() throws {
        let requirement = try Requirement(parsing: "importlib-metadata>=3.6.0; python_version < \"3.10\"")
        #expect(!requirement.applies(in: MarkerTests.debian12.markerEnvironment, extras: []))
        let dotenv = try Requirement(parsing: "python-dotenv; extra == \"dotenv\"")
        #expect(!dotenv.applies(in: MarkerTests.debian12.markerEnvironment, extras: []))
        #expect(dotenv.applies(in: MarkerTests.debian12.markerEnvironment, extras: ["dotenv"]))
    }

    @Test(arguments: ["", ">=1.0", "flask[", "flask >=1.0 junk", "flask; python_version", "-flask"])
    func refusesBrokenRequirements(_ text: String) {
        #expect(throws: PythonError.self) { try Requirement(parsing: text) }
    }
}
