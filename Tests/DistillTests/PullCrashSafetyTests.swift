import Foundation
import ImageFormat
import TestSupport
import TestTraits
import Testing

/// `distill pull` killed with SIGKILL at random moments, from Debian's docker-registry on 127.0.0.1: after each kill
/// the output layout is absent or whole (skopeo reads it, with the pushed digest), the cache holds only verified
/// entries, and the next pull gives the same image and sweeps the killed pull's staging folder. `make test` kills a few
/// times, `make soak` (DISTILL_SOAK=1) at least 30; DISTILL_KILL_SEED replays a schedule.
@Suite(.localRegistry(.plain)) struct PullCrashSafetyTests {
    @Test("distill pull killed at random moments leaves no output or a whole one, and pulls the same image again")
    func killedPulls() async throws {
        let registry = try LocalRegistry.require()
        let seed = SeededRandom.seed
        var random = SeededRandom(seed: seed)
        let dir = try TemporaryDirectory("killed-pull")
        // Two architectures, two layers each, 4 MiB of random bytes in the largest: a pull worth interrupting.
        let root = try await RegistryTestImage.write(to: dir("img"), layerSize: 4 << 20)
        let reference = "\(registry.host)/killed/app:1"
        try DistillCLI.check(["push", "--insecure-registry", registry.host, "oci:img", reference], in: dir.path)
        let cache = dir("cache")
        let environment = ["XDG_CACHE_HOME": cache]
        let pull = ["pull", "--insecure-registry", registry.host, reference]
        let seconds = try KillHarness.complete(pull + ["oci:reference:v1"], in: dir.path, environment: environment)
        #expect(KillHarness.layoutDigest(dir("reference")) == root.description)

        let wanted = CrashSafetyTests.soak ? 30 : 4
        var kills = 0, attempts = 0
        var log: [String] = []
        while kills < wanted && attempts < wanted * 3 {
            attempts += 1
            let output = dir("out")
            KillHarness.remove([output])
            // Half the pulls start with an empty cache.
            if attempts % 2 == 0 { KillHarness.remove([cache]) }
            let delay = Double.random(in: 0...(seconds * 0.9), using: &random)
            let ending = try KillHarness.run(pull + ["oci:out:v1"], in: dir.path, environment: environment, killAfter: delay)
            if ending == .killed { kills += 1 }
            log.append("+\(String(format: "%.3f", delay))s: \(ending)")
            let context = "seed \(seed), \(log.last!)"
            if FileManager.default.fileExists(atPath: output) {
                #expect(KillHarness.layoutDigest(output) == root.description, "\(context): the output is not the pushed image")
                let skopeo = try Tool.run(["skopeo", "inspect", "--raw", "oci:\(output):v1"])
                #expect(skopeo.status == 0, "\(context): skopeo cannot read the output: \(skopeo.stderr)")
            }
            #expect(KillHarness.cacheProblems(cache + "/distill").isEmpty, "\(context): \(KillHarness.cacheProblems(cache + "/distill"))")
            try KillHarness.complete(pull + ["oci:out:v1"], in: dir.path, environment: environment)
            #expect(KillHarness.layoutDigest(output) == root.description, "\(context): the pull after the kill gave another image")
            // SIGKILL leaves the killed pull's staging folder; the next pull to that output sweeps it.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
                $0 != "out" && $0.hasPrefix("out") || $0.hasPrefix(".out")
            }
            #expect(leftovers.isEmpty, "\(context): a killed pull's staging is still beside the output: \(leftovers)")
        }
        print("killed distill pull \(kills) times in \(attempts) runs (seed \(seed)):\n  " + log.joined(separator: "\n  "))
        #expect(kills >= wanted, "only \(kills) of \(attempts) pulls were still going when killed (seed \(seed))")
    }
}
