import Archive
import Debian
import Foundation
import SBOM

/// deb822 paragraphs, Packages indexes, (In)Release files, dpkg versions and relation fields.
enum DebianFuzzTargets {
    static let all = [deb822, packages, release, clearsigned, debversion]

    static let deb822 = FuzzTarget(name: "deb822", summary: "deb822 paragraphs (control files) and their relation fields", seeds: paragraphSeeds) { data in
        attempt {
            for stanza in try Deb822.parse(data, file: "fuzz") {
                _ = stanza["Package"]
                for field in stanza.fields where relationFields.contains(field.name.lowercased()) {
                    _ = try? RelationParser.dependencies(field.value, package: "fuzz", field: field.name)
                }
                if let provides = stanza["Provides"] { _ = try? RelationParser.provides(provides, package: "fuzz") }
            }
            _ = try? Deb822.parseSingle(data, file: "fuzz")
            // The in-place readers agree with the built values: a field's first line (what copyright licenses are
            // read from), and the license names split off it.
            var mismatch: String?
            try data.withUnsafeBytes { buffer in
                try Deb822.scan(buffer, file: "fuzz") { paragraph in
                    for field in paragraph.fields {
                        let first = paragraph.firstLine(of: field)
                        if first != paragraph.value(of: field).split(separator: "\n").first.map(String.init) { mismatch = paragraph.name(of: field) }
                        if let first { _ = LicenseNames.terms(of: first) }
                    }
                }
            }
            try require(mismatch == nil, "firstLine(of:) of field '\(mismatch ?? "")' is not the first non-empty line of value(of:)")
        }
    }

    static let packages = FuzzTarget(name: "packages", summary: "Packages index records, then the resolver over them", seeds: paragraphSeeds) { data in
        attempt {
            let records = try PackagesFile.parse(SharedBytes([UInt8](data)), file: "fuzz", suite: "bookworm")
            for record in records {
                _ = record.indexText
                _ = try? record.depends()
                _ = try? record.preDepends()
                _ = try? record.provides()
            }
            let index = PackageIndex(architecture: "amd64", records: records)
            if let first = records.first {
                _ = try? Resolver(index: index).resolve([first.name])
            }
        }
    }

    static let release = FuzzTarget(name: "release", summary: "verified Release text (suite, dates, SHA256 table)", seeds: releaseSeeds) { data in
        attempt {
            let release = try ReleaseFile(parsing: data, file: "fuzz")
            try? release.check(suite: "bookworm", now: Date(timeIntervalSince1970: 1_780_000_000), file: "fuzz")
        }
    }

    static let clearsigned = FuzzTarget(name: "clearsigned", summary: "InRelease (OpenPGP cleartext) split into text and signature", seeds: inReleaseSeeds) {
        data in
        attempt {
            let message = try ClearsignedMessage(data, file: "fuzz")
            _ = try? ReleaseFile(parsing: message.message, file: "fuzz")
        }
    }

    /// Two versions, one a line: both parsed, compared both ways; then the text as a Depends field.
    static let debversion = FuzzTarget(name: "debversion", summary: "dpkg versions and their order", seeds: versionSeeds) { data in
        attempt {
            let text = String(decoding: data, as: UTF8.self)
            _ = try? RelationParser.dependencies(text, package: "fuzz", field: "Depends")
            let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let a = try DebianVersion(lines[0])
            try require(DebianVersion.compare(a, a) == 0, "\(a) is not equal to itself")
            let again = try DebianVersion(a.string)
            try require(DebianVersion.compare(a, again) == 0, "\(a) parsed from its own spelling differs")
            guard lines.count > 1, let b = try? DebianVersion(lines[1]) else { return }
            let ab = DebianVersion.compare(a, b).signum(), ba = DebianVersion.compare(b, a).signum()
            try require(ab == -ba, "compare(\(a), \(b)) = \(ab) but compare(\(b), \(a)) = \(ba)")
        }
    }

    static let relationFields: Set<String> = ["depends", "pre-depends", "recommends", "suggests", "breaks", "conflicts", "replaces"]

    // MARK: seeds

    /// A few paragraphs from the start of each real Packages index, cut into small seeds, plus odd hand-made ones.
    @Sendable static func paragraphSeeds(_ testData: URL) -> [FuzzSeed] {
        SeedFiles.memo("paragraphs \(testData.path)") {
            var seeds: [FuzzSeed] = []
            for suite in ["bookworm/main/binary-amd64", "trixie/main/binary-amd64"] {
                let path = testData.appendingPathComponent("debian-mirror/dists/\(suite)/Packages.xz").path
                let paragraphs = firstParagraphs(path, bytes: 1 << 20)
                // One to three paragraphs a seed, spread over what was read.
                let step = max(1, paragraphs.count / 24)
                for (n, start) in stride(from: 0, to: paragraphs.count, by: step).enumerated() {
                    let chunk = paragraphs[start..<min(paragraphs.count, start + 1 + n % 3)].joined(separator: "\n\n") + "\n"
                    seeds.append(FuzzSeed("\(suite.replacingOccurrences(of: "/", with: "-"))-\(start)", chunk))
                }
            }
            seeds.append(FuzzSeed("crlf", "Package: a\r\nVersion: 1\r\nDescription: x\r\n y\r\n .\r\n\r\nPackage: b\r\n", valid: false))
            seeds.append(FuzzSeed("comment", "# comment\nPackage: a\nDepends: b (>= 1) | c:any [amd64 !i386] <!nocheck>, d\n", valid: false))
            return seeds
        }
    }

    /// The whole paragraphs among the first `bytes` decompressed bytes of a (compressed) index.
    static func firstParagraphs(_ path: String, bytes limit: Int) -> [String] {
        guard let reader = try? ArchiveReader(path: path, format: .raw), (try? reader.nextEntry()) != nil else { return [] }
        var bytes = [UInt8](repeating: 0, count: limit)
        var filled = 0
        while filled < limit {
            let n = bytes.withUnsafeMutableBytes { buffer in
                (try? reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))) ?? 0
            }
            if n == 0 { break }
            filled += n
        }
        var paragraphs: [String] = []
        var start = 0
        var i = 1
        while i < filled {
            if bytes[i] == 0x0A && bytes[i - 1] == 0x0A {
                if i - 1 > start { paragraphs.append(String(decoding: bytes[start..<(i - 1)], as: UTF8.self)) }
                start = i + 1
            }
            i += 1
        }
        return paragraphs
    }

    /// Each real InRelease with its checksum lists cut to a few lines (a small seed keeps the fuzzer fast;
    /// the signature no longer matches, which the splitter does not check).
    @Sendable static func inReleaseSeeds(_ testData: URL) -> [FuzzSeed] {
        (SeedFiles.file(testData, "debian-mirror/dists/bookworm/InRelease") + SeedFiles.file(testData, "debian-mirror/dists/trixie/InRelease"))
            .map { seed in
                var kept: [Substring] = []
                var continuation = 0
                for line in String(decoding: seed.data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                    continuation = line.hasPrefix(" ") ? continuation + 1 : 0
                    if continuation <= 6 { kept.append(line) }
                }
                return FuzzSeed(seed.name, kept.joined(separator: "\n"))
            }
    }

    /// The signed text of each InRelease.
    @Sendable static func releaseSeeds(_ testData: URL) -> [FuzzSeed] {
        inReleaseSeeds(testData).compactMap { seed in
            guard let message = try? ClearsignedMessage(seed.data, file: seed.name) else { return nil }
            return FuzzSeed(seed.name + "-text", message.message)
        }
    }

    /// Pairs from dpkg's and other public version-ordering tables.
    @Sendable static func versionSeeds(_ testData: URL) -> [FuzzSeed] {
        var seeds: [FuzzSeed] = []
        for (n, line) in SeedFiles.lines(testData, "vuln/versions/debian-versions.txt").enumerated() {
            let parts = line.components(separatedBy: " ").filter { !$0.isEmpty }
            guard parts.count == 3 else { continue }
            seeds.append(FuzzSeed("pair-\(n)", parts[0] + "\n" + parts[2]))
        }
        seeds.append(FuzzSeed("epoch-tilde", "1:2.36-9+deb12u4~bpo11+1\n2.36"))
        return seeds
    }
}
