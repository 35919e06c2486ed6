import Foundation
import Testing

@testable import Debian

/// A small hand-made index to exercise each resolver rule on its own.
private func record(
    _ name: String, _ version: String, arch: String = "amd64", multiArch: MultiArch = .no, suite: String = "bookworm",
    depends: String? = nil, preDepends: String? = nil, provides: String? = nil
) -> PackageRecord {
    PackageRecord(
        name: name, version: try! DebianVersion(version), architecture: arch, multiArch: multiArch, filename: "pool/\(name)_\(version).deb",
        size: 1, sha256: String(repeating: "0", count: 64), suite: suite, depends: depends, preDepends: preDepends, provides: provides)
}

@Suite("resolver rules")
struct ResolverTests {
    @Test("newest version wins across suites unless a relation asks for another")
    func newestWins() throws {
        let index = PackageIndex(
            architecture: "amd64",
            records: [
                record("libssl3", "3.0.11-1~deb12u2"), record("libssl3", "3.0.13-1~deb12u1", suite: "bookworm-security"),
                record("app", "1", depends: "libssl3 (<< 3.0.12)"), record("other", "1", depends: "libssl3"),
            ])
        #expect(index.versions(of: "libssl3").map(\.suite) == ["bookworm-security", "bookworm"])
        #expect(try Resolver(index: index).resolve(["other"]).package("libssl3")?.record.suite == "bookworm-security")
        #expect(try Resolver(index: index).resolve(["app"]).package("libssl3")?.record.version.string == "3.0.11-1~deb12u2")
        #expect(try Resolver(index: index).resolve(["libssl3 (= 3.0.11-1~deb12u2)"]).packages.first?.record.suite == "bookworm")
    }

    @Test("a relation that the selected version cannot meet is a conflict naming both sides")
    func conflict() {
        let index = PackageIndex(
            architecture: "amd64",
            records: [record("lib", "1"), record("lib", "2"), record("a", "1", depends: "lib (>= 2)"), record("b", "1", depends: "lib (<< 2)")])
        #expect {
            try Resolver(index: index).resolve(["a", "b"])
        } throws: { error in
            guard let error = error as? DebianError, case .versionConflict(let package, let selected, _, let by) = error else { return false }
            return package == "lib" && selected == "2" && by == "b"
        }
    }

    @Test("first satisfiable alternative, unless a later one is already selected")
    func alternatives() throws {
        let index = PackageIndex(
            architecture: "amd64",
            records: [
                record("x", "1", depends: "missing | b | c"), record("b", "1"), record("c", "1"), record("y", "1", depends: "b2 | c"),
                record("b2", "1"),
            ])
        #expect(try Resolver(index: index).resolve(["x"]).packages.map(\.name) == ["b", "x"])
        // c is requested first, so y's "b2 | c" is already satisfied and b2 stays out.
        #expect(try Resolver(index: index).resolve(["c", "y"]).packages.map(\.name) == ["c", "y"])
    }

    @Test("versioned and plain Provides satisfy dependencies; versioned ones only when versioned")
    func provides() throws {
        let index = PackageIndex(
            architecture: "amd64",
            records: [
                record("libgcc-s1", "12", provides: "libgcc1 (= 1:12)"), record("needs-old", "1", depends: "libgcc1 (>= 1:4.1)"),
                record("mail", "1", provides: "mail-transport-agent"), record("mua", "1", depends: "mail-transport-agent"),
                record("strict", "1", depends: "mail-transport-agent (>= 1)"),
            ])
        let r = try Resolver(index: index).resolve(["needs-old", "mua"])
        #expect(r.packages.map(\.name) == ["libgcc-s1", "mail", "mua", "needs-old"])
        #expect(r.package("libgcc-s1")?.relation == "libgcc1 (>= 1:4.1)")
        #expect(throws: DebianError.self) { try Resolver(index: index).resolve(["strict"]) }
    }

    @Test("architecture qualifiers and restrictions")
    func architectures() throws {
        let index = PackageIndex(
            architecture: "arm64",
            records: [
                record("python3", "3.11", arch: "arm64", multiArch: .allowed), record("tool", "1", arch: "arm64", depends: "python3:any"),
                record("plain", "1", arch: "arm64"), record("bad", "1", arch: "arm64", depends: "plain:any"),
                record("x86only", "1", arch: "arm64", depends: "cpuid [amd64 i386], data"), record("data", "1", arch: "all"),
                record("amd64pkg", "1", arch: "amd64"),
            ])
        #expect(index.newest("amd64pkg") == nil)
        #expect(try Resolver(index: index).resolve(["tool"]).packages.map(\.name) == ["python3", "tool"])
        // plain is Multi-Arch: no, so it cannot satisfy plain:any.
        #expect(throws: DebianError.self) { try Resolver(index: index).resolve(["bad"]) }
        #expect(try Resolver(index: index).resolve(["x86only"]).packages.map(\.name) == ["data", "x86only"])
    }

    @Test("excluded packages are skipped and recorded; requested ones are always taken")
    func exclusions() throws {
        let index = PackageIndex(
            architecture: "amd64",
            records: [
                record("base-files", "12", preDepends: "awk"), record("mawk", "1", provides: "awk"), record("gawk", "1", provides: "awk"),
                record("tool", "1", depends: "bash | zsh, libc6"), record("bash", "5"), record("zsh", "5"), record("libc6", "2"),
                record("script", "1", depends: "perl-modules-5.36"), record("perl-modules-5.36", "1"),
            ])
        let r = try Resolver(index: index).resolve(["base-files", "tool", "script"])
        #expect(r.packages.map(\.name) == ["base-files", "libc6", "script", "tool"])
        #expect(
            r.skipped == [
                SkippedDependency(package: "base-files", field: "Pre-Depends", dependency: "awk", excludedCandidates: ["gawk", "mawk"]),
                SkippedDependency(package: "tool", field: "Depends", dependency: "bash | zsh", excludedCandidates: ["bash", "zsh"]),
                SkippedDependency(package: "script", field: "Depends", dependency: "perl-modules-5.36", excludedCandidates: ["perl-modules-5.36"]),
            ])
        let named = try Resolver(index: index).resolve(["base-files", "mawk", "bash"])
        #expect(named.packages.map(\.name) == ["base-files", "bash", "mawk"])
        #expect(named.skipped.isEmpty)
        let custom = ResolutionPolicy.distroless.allowing(["bash"])
        #expect(try Resolver(index: index, policy: custom).resolve(["tool"]).package("bash") != nil)
    }

    @Test("unknown packages and unsatisfiable versions name the package and the chain")
    func failures() {
        let index = PackageIndex(
            architecture: "amd64", records: [record("a", "1", depends: "b"), record("b", "1", depends: "c (>= 2)"), record("c", "1")])
        #expect {
            try Resolver(index: index).resolve(["nope"])
        } throws: { error in
            (error as? DebianError)?.description == "no package 'nope' for amd64 in the configured suites"
        }
        #expect {
            try Resolver(index: index).resolve(["a"])
        } throws: { error in
            guard let error = error as? DebianError, case .unsatisfiable(let dep, let package, _, let chain) = error else { return false }
            return dep == "c (>= 2)" && package == "b" && chain == ["a", "b"] && error.description.contains("needed by a -> b")
        }
    }

    @Test("output is sorted by name and deterministic")
    func deterministic() throws {
        let records = (0..<50).map { i in record("p\(i)", "1", depends: i < 49 ? "missing | p\(i + 1), p\(i / 2)" : nil) }
        let a = try Resolver(index: PackageIndex(architecture: "amd64", records: records)).resolve(["p0"])
        let b = try Resolver(index: PackageIndex(architecture: "amd64", records: records.reversed())).resolve(["p0"])
        #expect(a.packages.map(\.name) == b.packages.map(\.name))
        #expect(a.packages.map(\.name) == a.packages.map(\.name).sorted())
        #expect(a.packages.count == 50)
    }
}
