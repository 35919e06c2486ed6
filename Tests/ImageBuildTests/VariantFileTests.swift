import Foundation
import ImageBuild
import TestSupport
import Testing

/// `variants:` in the build file: what each variant changes, and errors at their line and column.
struct VariantFileTests {
    static let file = """
        name: app
        base: python3
        archs: [amd64]
        suites: [bookworm]
        packages: [libsqlite3-0]
        entrypoint: ["/usr/bin/python3", "-m", "app"]
        variants:
          - name: py311
          - name: py313
            distro: debian13
            suites: [trixie]
            packages: []
          - name: migrate
            entrypoint: ["/usr/bin/python3", "-m", "app.migrate"]
            cmd: ["--check"]
          - name: debug
            debug: true
            archs: [amd64, arm64]
        """

    @Test func eachVariantChangesOnlyWhatItNames() throws {
        let build = try BuildFile.parse(Self.file, file: "distill.yaml", directory: "/work/app")
        #expect(build.variants.map(\.name) == ["py311", "py313", "migrate", "debug"])
        #expect(build.variants.first?.location == SourceLocation(line: 8, column: 5))
        let py311 = build.applying(build.variants[0])
        #expect(py311.name == "app-py311" && py311.distro == .debian12 && py311.packages == ["libsqlite3-0"] && !py311.debug)
        #expect(py311.lockPath == "/work/app/distill.py311.lock")
        #expect(py311.variants.isEmpty && py311.variant == "py311")
        let py313 = build.applying(build.variants[1])
        #expect(py313.distro == .debian13 && py313.suites == ["trixie"] && py313.packages.isEmpty)
        #expect(py313.entrypoint == ["/usr/bin/python3", "-m", "app"])
        let migrate = build.applying(build.variants[2])
        #expect(migrate.entrypoint == ["/usr/bin/python3", "-m", "app.migrate"] && migrate.cmd == ["--check"])
        let debug = build.applying(build.variants[3])
        #expect(debug.debug && debug.archs == ["amd64", "arm64"] && debug.archsListed)
        #expect(build.lockPath == "/work/app/distill.lock", "the file's own lock keeps its name")
        #expect(try build.selectVariants(["debug", "py311"]).map(\.name) == ["py311", "debug"])
        #expect(throws: BuildError.self) { try build.selectVariants(["py312"]) }
    }

    @Test(arguments: [
        ("variants:\n  - name: a\n    distroo: debian13\n", 10, 5, "unknown key 'distroo'"),
        ("variants:\n  - distro: debian13\n", 9, 5, "a variant needs `name:`"),
        ("variants:\n  - name: Big\n", 9, 11, "'Big' is not a valid variant name"),
        ("variants:\n  - name: a\n  - name: a\n", 10, 11, "the variant 'a' is listed twice"),
        ("variants:\n  - name: a\n    distro: debian13\n", 10, 13, "variants[0].distro: variant 'a' is debian13, and the file's suites: [bookworm] are debian12's; give the variant its own suites: (e.g. [trixie])"),
        ("variants:\n  - name: a\n    distro: debian13\n    suites: [bookworm]\n", 11, 14, "variant 'a': variants[0].suites[0]: 'bookworm' is not a debian13 suite"),
        ("variants:\n  - name: a\n    debug: maybe\n", 10, 12, "variants[0].debug must be true or false"),
        ("variants: []\n", 8, 11, "list at least one variant"),
        ("variants:\n  - name: a\n    archs: [sparc]\n", 10, 13, "'sparc' is not valid here"),
    ])
    func badVariantsAreErrorsAtTheirPlace(_ tail: String, _ line: Int, _ column: Int, _ message: String) {
        let head = "name: app\nbase: python3\narchs: [amd64]\nsuites: [bookworm]\nentrypoint: [/usr/bin/python3]\nuser: nonroot\nworkdir: /app\n"
        #expect {
            try BuildFile.parse(head + tail, file: "distill.yaml", directory: "/work/app")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("distill.yaml:\(line):\(column): ") && text.contains(message)
        }
    }

    @Test func debugAtTheTopLevelMakesOneDebugImage() throws {
        let build = try BuildFile.parse("base: static\ndebug: true\n", file: "distill.yaml", directory: "/work/app")
        #expect(build.debug && build.variants.isEmpty)
    }
}
