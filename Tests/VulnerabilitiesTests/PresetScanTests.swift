import Foundation
import Python
import Testing
import TestSupport
import Vulnerabilities

/// Scans of real images built from the frozen mirror, against the real OSV records.
///
/// Expected Debian findings come from `dpkg --compare-versions` (the reference for dpkg order) over every
/// record of the image's Debian release; expected PyPI findings from the `packaging` library (PyPI).
@Suite(.serialized) struct PresetScanTests {
    /// Source packages of the python3 preset that the records name, as the frozen mirror has them.
    static let sources: [String: [(source: String, version: String, binary: String)]] = [
        "debian12": [("openssl", "3.0.20-1~deb12u2", "libssl3"), ("xz-utils", "5.4.1-1+deb12u1", "liblzma5")],
        "debian13": [("expat", "2.8.3-1~deb13u1", "libexpat1"), ("zlib", "1:1.3.dfsg+really1.3.1-1", "zlib1g")],
    ]

    /// (binary package, CVE, fixed version) expected for `distro`, with dpkg deciding every comparison.
    static func expectedDebian(_ distro: String) throws -> Set<String> {
        let ecosystem = distro == "debian12" ? "Debian:12" : "Debian:13"
        var expected: Set<String> = []
        for record in VulnFixtures.records.values {
            for entry in record.affected ?? [] where entry.package?.ecosystem == ecosystem {
                for (source, version, binary) in sources[distro] ?? [] where entry.package?.name == source {
                    guard let fixed = entry.ranges?.first?.events.compactMap(\.fixed).first else { continue }
                    if try Tool.run(["dpkg", "--compare-versions", version, "lt", fixed]).status == 0 {
                        expected.insert("\(binary) \(record.upstream?.first ?? record.id) \(fixed)")
                    }
                }
            }
        }
        return expected
    }

    @Test(arguments: ["debian12", "debian13"])
    func debianFindingsAreExactlyTheExpectedOnes(_ distro: String) async throws {
        let (reference, _) = try await PresetImages.shared.image(distro)
        let subject = try await ImagePackageReader.read(reference: reference)
        #expect(subject.osFamily == "debian")
        #expect(subject.debianEcosystem == (distro == "debian12" ? "Debian:12" : "Debian:13"))
        let store = try VulnerabilityStore(path: VulnFixtures.shared.path, readOnly: true)
        let outcome = try VulnerabilityScanner(store: store).scan(subject)
        let debian = outcome.findings.filter { $0.package.ecosystem == "Debian" }
        let found = Set(debian.map { "\($0.package.name) \($0.vulnerabilityID) \($0.fixedVersion ?? "-")" })
        let expected = try Self.expectedDebian(distro)
        #expect(found == expected)
        // The counts, so that a change in either side shows: openssl on bookworm; expat (one fix is 2.8.3-1,
        // above 2.8.3-1~deb13u1) and zlib on trixie. xz-utils is exactly at its fix, so not affected.
        #expect(debian.count == (distro == "debian12" ? 12 : 10))
        #expect(!debian.contains { $0.package.sourceName == "xz-utils" || $0.package.sourceName == "python3.11" })
        #expect(debian.allSatisfy { $0.status == .fixed && $0.severity.severity == .unknown && $0.severity.source == "none" })
        if distro == "debian13" {
            // The binNMU's source version (from "Source: zlib (1:…-1)") is what is compared.
            #expect(debian.contains { $0.package.name == "zlib1g" && $0.package.sourceVersion == "1:1.3.dfsg+really1.3.1-1" })
            #expect(debian.contains { $0.package.name == "libexpat1" && $0.fixedVersion == "2.8.3-1" })
        }
    }

    @Test func oldPythonPackagesAreFoundWithTheirFixes() async throws {
        let (reference, _) = try await PresetImages.shared.image("debian12")
        let subject = try await ImagePackageReader.read(reference: reference)
        let python = subject.packages.filter { $0.ecosystem == "PyPI" }
        // Names as the SBOM catalogers record them: normalised per PEP 503.
        #expect(Set(python.map { "\($0.name) \($0.version)" }) == Set(PresetImages.pythonPackages.map { "\(ProjectName.normalize($0.0)) \($0.1)" }))
        let store = try VulnerabilityStore(path: VulnFixtures.shared.path, readOnly: true)
        let findings = try VulnerabilityScanner(store: store).scan(subject).findings.filter { $0.package.ecosystem == "PyPI" }
        #expect(findings.contains { $0.package.name == "jinja2" && $0.vulnerabilityID == "CVE-2019-10906" && $0.fixedVersion == "2.10.1" })
        #expect(findings.contains { $0.package.name == "flask" && $0.vulnerabilityID == "CVE-2018-1000656" && $0.fixedVersion == "0.12.3" })
        #expect(findings.contains { $0.package.name == "flask" && $0.vulnerabilityID == "CVE-2023-30861" && $0.fixedVersion == "2.2.5" })
        #expect(!findings.contains { $0.package.name == "pyyaml" || $0.package.name == "werkzeug" })

        // The reference: the same records evaluated with packaging's Version, per the OSV schema.
        let oracle = try VulnFixtures.python(
            """
            import glob, json, re, sys
            from packaging.version import Version
            installed = json.loads(sys.argv[2])
            norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
            out = set()
            for path in glob.glob(sys.argv[1] + "/*.json"):
                r = json.load(open(path))
                if r.get("withdrawn"): continue
                for a in r["affected"]:
                    for name, version in installed:
                        if norm(a["package"]["name"]) != norm(name): continue
                        v = Version(version); hit = None
                        for rng in a.get("ranges", []):
                            if rng["type"] != "ECOSYSTEM": continue
                            events = sorted(rng["events"], key=lambda e: Version("0") if e.get("introduced") == "0" else Version(list(e.values())[0]))
                            vulnerable = False; fix = None
                            for e in events:
                                if "introduced" in e and (e["introduced"] == "0" or v >= Version(e["introduced"])): vulnerable, fix = True, None
                                elif "fixed" in e:
                                    if v >= Version(e["fixed"]): vulnerable = False
                                    elif vulnerable and fix is None: fix = e["fixed"]
                                elif "last_affected" in e and v > Version(e["last_affected"]): vulnerable = False
                            if vulnerable: hit = fix if hit is None or (fix and Version(fix) < Version(hit)) else hit
                            if vulnerable and hit is None: hit = ""
                        if hit is None and any(Version(x) == v for x in a.get("versions", []) if re.match(r"^[0-9]", x)): hit = ""
                        if hit is not None:
                            aliases = [x for x in r.get("aliases", []) if x.startswith("CVE-")]
                            vid = r["id"] if r["id"].startswith("CVE-") else (aliases[0] if len(set(aliases)) == 1 else r["id"])
                            out.add(f"{name} {vid} {hit or '-'}")
            print(json.dumps(sorted(out)))
            """, [VulnFixtures.osvFolder + "/PyPI", String(decoding: try JSONEncoder().encode(PresetImages.pythonPackages.map { [$0.0, $0.1] }), as: UTF8.self)])
        let expected = Set(try JSONDecoder().decode([String].self, from: Data(oracle.utf8)).map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return ProjectName.normalize(String(parts[0])) + " " + parts[1]
        })
        #expect(expected.count >= 5)
        #expect(Set(findings.map { "\($0.package.name) \($0.vulnerabilityID) \($0.fixedVersion ?? "-")" }) == expected)
    }
}
