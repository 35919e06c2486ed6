import Testing
import Vulnerabilities

@Suite struct AffectedEvaluatorTests {
    static func entry(_ events: [OSVEvent], type: String = "ECOSYSTEM", versions: [String]? = nil) -> OSVAffected {
        OSVAffected(package: OSVPackage(ecosystem: "PyPI", name: "x"), ranges: [OSVRange(type: type, events: events)], versions: versions)
    }

    static let twoRanges = entry([OSVEvent(introduced: "0"), OSVEvent(fixed: "2.2.5"), OSVEvent(introduced: "2.3.0"), OSVEvent(fixed: "2.3.2")])

    @Test(arguments: [
        ("0.1", true, "2.2.5"), ("2.2.4", true, "2.2.5"), ("2.2.5", false, nil), ("2.2.9", false, nil), ("2.3.0", true, "2.3.2"),
        ("2.3.1", true, "2.3.2"), ("2.3.2", false, nil), ("3.0", false, nil), ("2.3.0rc1", false, nil),
    ] as [(String, Bool, String?)])
    func introducedAndFixedEvents(_ version: String, _ affected: Bool, _ fixed: String?) {
        let verdict = AffectedEvaluator(scheme: .pep440).evaluate(version, against: Self.twoRanges)
        #expect(verdict.affected == affected)
        #expect(verdict.fixedVersion == fixed)
    }

    @Test func eventsAreSortedBeforeTheyAreWalked() {
        let shuffled = Self.entry([OSVEvent(fixed: "2.3.2"), OSVEvent(introduced: "2.3.0"), OSVEvent(fixed: "2.2.5"), OSVEvent(introduced: "0")])
        let evaluator = AffectedEvaluator(scheme: .pep440)
        #expect(evaluator.evaluate("2.3.1", against: shuffled).fixedVersion == "2.3.2")
        #expect(!evaluator.evaluate("2.2.7", against: shuffled).affected)
    }

    @Test func lastAffectedIncludesItsVersionAndHasNoFix() {
        let range = Self.entry([OSVEvent(introduced: "1.0"), OSVEvent(lastAffected: "1.4")])
        let evaluator = AffectedEvaluator(scheme: .pep440)
        #expect(evaluator.evaluate("1.4", against: range) == .init(affected: true, fixedVersion: nil))
        #expect(!evaluator.evaluate("1.4.1", against: range).affected)
        #expect(!evaluator.evaluate("0.9", against: range).affected)
    }

    @Test func limitBoundsTheRange() {
        let range = Self.entry([OSVEvent(introduced: "0"), OSVEvent(limit: "2.0.0")], type: "SEMVER")
        let evaluator = AffectedEvaluator(scheme: .semver)
        #expect(evaluator.evaluate("1.9.9", against: range).affected)
        #expect(!evaluator.evaluate("2.0.0", against: range).affected)
        #expect(!evaluator.evaluate("3.1.0", against: range).affected)
    }

    @Test func explicitVersionsListAndGitRangesIgnored() {
        var listed = OSVAffected(package: OSVPackage(ecosystem: "PyPI", name: "x"), versions: ["1.0", "1.1"])
        listed.ranges = [OSVRange(type: "GIT", events: [OSVEvent(introduced: "0"), OSVEvent(fixed: "abcdef")])]
        let evaluator = AffectedEvaluator(scheme: .pep440)
        #expect(evaluator.evaluate("1.0.0", against: listed) == .init(affected: true, fixedVersion: nil))
        #expect(!evaluator.evaluate("1.2", against: listed).affected)
    }

    @Test func debianRangesUseDpkgOrder() {
        let range = OSVAffected(
            package: OSVPackage(ecosystem: "Debian:13", name: "expat"),
            ranges: [OSVRange(type: "ECOSYSTEM", events: [OSVEvent(introduced: "0"), OSVEvent(fixed: "2.8.3-1")])])
        let evaluator = AffectedEvaluator(scheme: .dpkg)
        // "~" sorts before the end of the string: the backport is older than the fix.
        #expect(evaluator.evaluate("2.8.3-1~deb13u1", against: range).affected)
        #expect(!evaluator.evaluate("2.8.3-1+deb13u1", against: range).affected)
        #expect(!evaluator.evaluate("2.8.3-1", against: range).affected)
    }

    @Test func goVersionsWithTheirVPrefix() {
        let range = OSVAffected(
            package: OSVPackage(ecosystem: "Go", name: "golang.org/x/net"),
            ranges: [OSVRange(type: "SEMVER", events: [OSVEvent(introduced: "0"), OSVEvent(fixed: "0.23.0")])])
        let evaluator = AffectedEvaluator(scheme: .semver)
        #expect(evaluator.evaluate("v0.22.0", against: range) == .init(affected: true, fixedVersion: "0.23.0"))
        #expect(!evaluator.evaluate("v0.23.0", against: range).affected)
        #expect(evaluator.evaluate("v0.0.0-20220722155237-a158d28d115b", against: range).affected)
    }
}
