import Foundation
import FuzzTargets
import Testing
import TestSupport

/// The fuzz targets run without a sanitizer build, so `make test` keeps them honest: every seed from the shared
/// test data, every input a fuzzer once crashed on (fuzz/regressions/<target>/), and a fixed batch of mutants.
/// A trap in a parser kills this process, which fails the run; a broken property fails the test.
@Suite struct FuzzReplayTests {
    static let names = FuzzTargets.all.map(\.name)

    /// Seeds, computed once per target (some decompress a Packages index).
    static func seeds(_ target: FuzzTarget) -> [FuzzSeed] { target.seeds(SharedTestData.testdata) }

    @Test("real inputs are accepted and no seed breaks a property", arguments: names)
    func seedsAreAccepted(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let seeds = Self.seeds(target)
        #expect(seeds.count >= 2, "\(name) has too few seeds: \(seeds.map(\.name))")
        for seed in seeds {
            let outcome = target.run(seed.data)
            if case .violated(let message) = outcome { Issue.record("\(name) seed \(seed.name): \(message)") }
            if seed.valid { #expect(outcome == .accepted, "\(name) refused its real seed \(seed.name)") }
        }
    }

    @Test("inputs that once crashed a target stay harmless", arguments: names)
    func regressions(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let folder = SharedTestData.packageRoot.appendingPathComponent("fuzz/regressions/\(name)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for file in files.sorted() {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            if case .violated(let message) = target.run(data) { Issue.record("\(name) regression \(file): \(message)") }
        }
    }

    /// How many mutants each target gets; `DISTILL_FUZZ_SMOKE_RUNS` raises it for a longer local run.
    static let mutants = ProcessInfo.processInfo.environment["DISTILL_FUZZ_SMOKE_RUNS"].flatMap(Int.init) ?? 1000

    @Test("a fixed batch of mutated seeds breaks nothing", arguments: names)
    func mutants(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let corpus = Self.seeds(target).map(\.data)
        try #require(!corpus.isEmpty)
        var mutator = FuzzMutator(seed: UInt64(truncatingIfNeeded: name.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
        var rejected = 0
        for n in 0..<Self.mutants {
            let input = mutator.mutate(corpus[n % corpus.count], corpus: corpus)
            switch target.run(input) {
            case .violated(let message):
                Issue.record("\(name) mutant \(n) (\(input.base64EncodedString().prefix(200))): \(message)")
            case .rejected: rejected += 1
            case .accepted: break
            }
        }
        // The mutants must reach the parsers' error paths, or this test proves nothing.
        #expect(rejected > 0, "\(name): no mutant was refused")
    }
}
