import Foundation
import Testing
import TestSupport
@testable import Debian

@Test func scratchClosures() throws {
    for (suite, arch, py) in [("bookworm", "amd64", "python3.11"), ("bookworm", "arm64", "python3.11"), ("trixie", "amd64", "python3.13")] {
        let start = Date()
        let records = try PackagesFile.load(path: SharedTestData.debianMirror.appendingPathComponent("dists/\(suite)/main/binary-\(arch)/Packages.xz").path, name: "Packages.xz", suite: suite)
        let t1 = Date().timeIntervalSince(start)
        let index = PackageIndex(architecture: arch, records: records)
        let t2 = Date().timeIntervalSince(start)
        print("\(suite)/\(arch): \(records.count) records parse \(t1)s index \(t2)s")
        let staticRoots = ["base-files", "netbase", "tzdata", "media-types", "ca-certificates"] + (suite == "trixie" ? ["tzdata-legacy"] : [])
        let base = staticRoots + ["libc6"] + (suite == "trixie" ? ["libssl3t64", "libzstd1", "zlib1g"] : ["libssl3"])
        let cc = base + ["libgcc-s1", "libstdc++6", "libgomp1"]
        for (label, roots) in [("static", staticRoots), ("base", base), ("cc", cc), ("python3", cc + [py])] {
            let r = try Resolver(index: index).resolve(roots)
            print("  \(label): \(r.packages.map(\.name).joined(separator: " "))")
            for s in r.skipped { print("     skipped: \(s.package) \(s.field) \(s.dependency) -> \(s.excludedCandidates)") }
            let pool = SharedTestData.debianMirror
            let missing = r.packages.filter { !FileManager.default.fileExists(atPath: pool.appendingPathComponent($0.record.filename).path) }
            print("     not in pool: \(missing.map(\.name))")
        }
    }
}
