import Foundation
import Python

/// PEP 440 versions (with the legacy fallback) and PEP 503 project names.
enum PythonFuzzTargets {
    static let all = [pep440]

    /// Two versions, one a line: parsed, normalized, compared both ways, hashed; then the first line as a project name.
    static let pep440 = FuzzTarget(name: "pep440", summary: "PEP 440 versions, their order and normal form; PEP 503 names", seeds: versionSeeds) { data in
        attempt {
            let text = String(decoding: data, as: UTF8.self)
            let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            _ = try? ProjectName(lines[0])
            let a = try PEP440Version(lines[0])
            try require(PEP440Version.compare(a, a) == 0, "\(a) is not equal to itself")
            if a.isPEP440 {
                let normal = try PEP440Version(a.normalized)
                try require(normal.isPEP440, "the normal form '\(a.normalized)' of '\(a)' is not PEP 440")
                try require(PEP440Version.compare(a, normal) == 0, "'\(a)' and its normal form '\(a.normalized)' differ")
            }
            guard lines.count > 1, let b = try? PEP440Version(lines[1]) else { return }
            let ab = PEP440Version.compare(a, b).signum(), ba = PEP440Version.compare(b, a).signum()
            try require(ab == -ba, "compare(\(a), \(b)) = \(ab) but compare(\(b), \(a)) = \(ba)")
            if ab == 0 { try require(a.hashValue == b.hashValue, "'\(a)' equals '\(b)' but hashes differently") }
        }
    }

    /// Pairs from packaging's ordering tests.
    @Sendable static func versionSeeds(_ testData: URL) -> [FuzzSeed] {
        var seeds: [FuzzSeed] = []
        for (n, line) in SeedFiles.lines(testData, "vuln/versions/pypi-versions.txt").enumerated() {
            let parts = line.components(separatedBy: " ").filter { !$0.isEmpty }
            guard parts.count == 3 else { continue }
            seeds.append(FuzzSeed("pair-\(n)", parts[0] + "\n" + parts[2]))
        }
        seeds.append(FuzzSeed("full", "v1!2.0.post3.dev4+Ubuntu-1.2\n1!2.0rc1"))
        seeds.append(FuzzSeed("legacy", "2004d\nfrobnicate-1.x"))
        return seeds
    }
}
