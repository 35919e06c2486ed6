import Foundation
import Testing
import TestSupport

@testable import Debian

/// Closures of the distroless presets, resolved from the frozen signed mirror fetched over HTTP.
@Suite("preset closures from the frozen mirror")
struct PresetClosureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let suite: String
        let architecture: String
        let preset: String
        let expected: [String]
        var testDescription: String { "\(preset) on \(suite) \(architecture)" }
        var distro: DebianDistro { suite == "trixie" ? .debian13 : .debian12 }
    }

    static let bookwormStatic = ["base-files", "ca-certificates", "media-types", "netbase", "tzdata"]
    static let bookwormBaseNoSSL = bookwormStatic + ["gcc-12-base", "libc6", "libgcc-s1"]
    static let bookwormBase = bookwormBaseNoSSL + ["libssl3"]
    static let bookwormCC = bookwormBase + ["libgomp1", "libstdc++6"]
    static let bookwormPython = bookwormCC + [
        "libbz2-1.0", "libcom-err2", "libcrypt1", "libdb5.3", "libexpat1", "libffi8", "libgssapi-krb5-2", "libk5crypto3",
        "libkeyutils1", "libkrb5-3", "libkrb5support0", "liblzma5", "libncursesw6", "libnsl2", "libpython3.11-minimal",
        "libpython3.11-stdlib", "libreadline8", "libsqlite3-0", "libtinfo6", "libtirpc-common", "libtirpc3", "libuuid1", "python3.11",
        "python3.11-minimal", "zlib1g",
    ]
    static let trixieStatic = ["base-files", "ca-certificates", "media-types", "netbase", "tzdata", "tzdata-legacy"]
    static let trixieBaseNoSSL = trixieStatic + ["gcc-14-base", "libc6", "libgcc-s1"]
    static let trixieBase = trixieBaseNoSSL + ["libssl3t64", "libzstd1", "openssl-provider-legacy", "zlib1g"]
    static let trixieCC = trixieBase + ["libgomp1", "libstdc++6"]
    static let trixiePython = trixieCC + [
        "libbz2-1.0", "libdb5.3t64", "libexpat1", "libffi8", "liblzma5", "libncursesw6", "libpython3.13-minimal", "libpython3.13-stdlib",
        "libreadline8t64", "libsqlite3-0", "libtinfo6", "libuuid1", "python3.13", "python3.13-minimal",
    ]

    static let cases: [Case] =
        ["amd64", "arm64"].flatMap { arch in
            [
                Case(suite: "bookworm", architecture: arch, preset: "static", expected: bookwormStatic),
                Case(suite: "bookworm", architecture: arch, preset: "base-nossl", expected: bookwormBaseNoSSL),
                Case(suite: "bookworm", architecture: arch, preset: "base", expected: bookwormBase),
                Case(suite: "bookworm", architecture: arch, preset: "cc", expected: bookwormCC),
                Case(suite: "bookworm", architecture: arch, preset: "python3", expected: bookwormPython),
            ]
        } + [
            Case(suite: "trixie", architecture: "amd64", preset: "static", expected: trixieStatic),
            Case(suite: "trixie", architecture: "amd64", preset: "base-nossl", expected: trixieBaseNoSSL),
            Case(suite: "trixie", architecture: "amd64", preset: "base", expected: trixieBase),
            Case(suite: "trixie", architecture: "amd64", preset: "cc", expected: trixieCC),
            Case(suite: "trixie", architecture: "amd64", preset: "python3", expected: trixiePython),
        ]

    @Test("resolves to the pinned package set", arguments: cases)
    func closure(_ c: Case) async throws {
        let index = try await FrozenMirror.index(c.suite, c.architecture)
        let resolution = try Resolver(index: index).resolve(PresetRoots.roots(c.preset, distro: c.distro))
        #expect(resolution.packages.map(\.name) == c.expected.sorted())
        for forbidden in ["gawk", "mawk", "libsigsegv2", "libmpfr6", "libgmp10", "bash", "dash", "dpkg", "perl-base", "debconf", "openssl"] {
            #expect(resolution.package(forbidden) == nil, "\(forbidden) must not be in \(c.testDescription)")
        }
        #expect(resolution.skipped.contains { $0.package == "base-files" && $0.dependency == "awk" && $0.excludedCandidates.contains("gawk") })
        // The frozen pool holds exactly what presets need (it lacks libgomp1 for arm64; see the report).
        for package in resolution.packages where !(c.architecture == "arm64" && package.name == "libgomp1") {
            let file = SharedTestData.debianMirror.appendingPathComponent(package.record.filename).path
            #expect(FileManager.default.fileExists(atPath: file), "\(package.record.filename) is not in the frozen pool")
        }
    }

    @Test("explains why each package is in the python3 image")
    func why() async throws {
        let index = try await FrozenMirror.index("bookworm", "amd64")
        let resolution = try Resolver(index: index).resolve(PresetRoots.roots("python3", distro: .debian12))
        let chain = try #require(resolution.chain(to: "libkeyutils1")).map(\.name)
        #expect(chain.first == "python3.11")
        #expect(chain.last == "libkeyutils1")
        #expect(chain.contains("libkrb5-3"))
        let text = resolution.explain("libtirpc-common")
        #expect(text.contains("libtirpc3") && text.contains("Depends"))
        #expect(resolution.explain("libc6").contains("(requested)"))
        #expect(resolution.explain("gawk").contains("excluded by policy"))
        #expect(resolution.explain("readline-common").contains("libreadline8"))
        #expect(resolution.package("ca-certificates")?.requiredBy == nil)
        #expect(resolution.package("libc6")?.record.version.string == "2.36-9+deb12u14")
    }

    @Test("a user who names an excluded package gets it, with its own dependencies")
    func namedExclusion() async throws {
        let index = try await FrozenMirror.index("bookworm", "amd64")
        let resolution = try Resolver(index: index).resolve(["base-files", "gawk"])
        #expect(resolution.package("gawk") != nil)
        #expect(resolution.package("libmpfr6") != nil)
        // gawk now satisfies base-files' awk dependency, so nothing is skipped for it.
        #expect(!resolution.skipped.contains { $0.dependency == "awk" })
    }

    @Test("ca-certificates is data only by default, and followed when the policy says so")
    func dataOnly() async throws {
        let index = try await FrozenMirror.index("bookworm", "amd64")
        let distroless = try Resolver(index: index).resolve(["ca-certificates"])
        #expect(distroless.packages.map(\.name) == ["ca-certificates"])
        let complete = try Resolver(index: index, policy: .complete).resolve(["ca-certificates"])
        #expect(complete.package("openssl") != nil)
        #expect(complete.package("debconf") != nil)
    }
}
