/// Whether a version is affected by one `affected[]` entry of an OSV record, exactly as the OSV schema's
/// evaluation rules say: each SEMVER or ECOSYSTEM range's events are sorted by version and walked
/// (`introduced` opens, `fixed` closes at that version, `last_affected` closes after it), `limit` events
/// bound the range, GIT ranges are ignored, and a version listed in `versions` is affected.
public struct AffectedEvaluator: Sendable {
    /// The outcome for one version.
    public struct Verdict: Sendable, Equatable {
        /// The version is affected.
        public var affected: Bool
        /// The fix that closes the range holding the version, when a `fixed` event does.
        public var fixedVersion: String?

        public init(affected: Bool, fixedVersion: String?) {
            self.affected = affected
            self.fixedVersion = fixedVersion
        }
    }

    public let scheme: VersionScheme

    /// Parsed versions, shared by every evaluation this evaluator makes.
    private let memo = VersionMemo()

    public init(scheme: VersionScheme) { self.scheme = scheme }

    /// The verdict for `version` against `entry`; unaffected when nothing in it can be compared.
    public func evaluate(_ version: String, against entry: OSVAffected) -> Verdict {
        var fixes: [String] = []
        var affected = false
        for range in entry.ranges ?? [] {
            let rangeScheme: VersionScheme
            switch range.type {
            case "SEMVER": rangeScheme = .semver
            case "ECOSYSTEM": rangeScheme = scheme
            default: continue
            }
            if let fix = walk(version, range.events, scheme: rangeScheme) {
                affected = true
                if let fixed = fix.fixed { fixes.append(fixed) }
            }
        }
        if !affected, let versions = entry.versions, versions.contains(where: { $0 == version || memo.compare($0, version, scheme) == 0 }) {
            affected = true
        }
        guard affected else { return Verdict(affected: false, fixedVersion: nil) }
        // Several ranges may hold the version; the lowest fix above it is the one to upgrade to.
        let lowest = fixes.min { memo.compare($0, $1, scheme).map { $0 < 0 } ?? ($0 < $1) }
        return Verdict(affected: true, fixedVersion: lowest)
    }

    /// Walks one range's events in version order; returns nil when `version` is outside it, else the
    /// `fixed` event that ends the stretch holding it (nil fix when none does).
    func walk(_ version: String, _ events: [OSVEvent], scheme: VersionScheme) -> RangeHit? {
        struct Step {
            var kind: Kind
            var value: String
            enum Kind: Int { case introduced, fixed, lastAffected, limit }
        }
        var steps: [Step] = []
        for event in events {
            if let v = event.introduced { steps.append(Step(kind: .introduced, value: v)) }
            if let v = event.fixed { steps.append(Step(kind: .fixed, value: v)) }
            if let v = event.lastAffected { steps.append(Step(kind: .lastAffected, value: v)) }
            if let v = event.limit { steps.append(Step(kind: .limit, value: v)) }
        }
        // The version itself must be of the scheme; "0" is below everything and "*" above.
        guard memo.parse(version, scheme) != nil else { return nil }
        // Events whose version does not parse cannot be placed: leave them out.
        let placed = steps.filter { $0.value == "0" || $0.value == "*" || memo.parse($0.value, scheme) != nil }
        let sorted = placed.sorted { lhs, rhs in
            let c = compareEvent(lhs.value, rhs.value, scheme)
            return c != 0 ? c < 0 : lhs.kind.rawValue < rhs.kind.rawValue
        }
        let limits = sorted.filter { $0.kind == .limit }.map(\.value)
        if !limits.isEmpty, !limits.contains(where: { $0 == "*" || compareEvent(version, $0, scheme) < 0 }) {
            return nil
        }
        var vulnerable = false
        var closingFix: String?
        for step in sorted {
            switch step.kind {
            case .introduced:
                if step.value == "0" || compareEvent(version, step.value, scheme) >= 0 {
                    vulnerable = true
                    closingFix = nil
                }
            case .fixed:
                if compareEvent(version, step.value, scheme) >= 0 {
                    vulnerable = false
                } else if vulnerable, closingFix == nil {
                    closingFix = step.value
                }
            case .lastAffected:
                if compareEvent(version, step.value, scheme) > 0 { vulnerable = false }
            case .limit:
                break
            }
        }
        return vulnerable ? RangeHit(fixed: closingFix) : nil
    }

    /// A range that holds the version, and the fix that closes it (nil when none does).
    struct RangeHit {
        var fixed: String?
    }

    /// Orders event versions: `0` is the lowest of all and `*` the highest.
    func compareEvent(_ a: String, _ b: String, _ scheme: VersionScheme) -> Int {
        if a == b { return 0 }
        if a == "0" { return -1 }
        if b == "0" { return 1 }
        if a == "*" { return 1 }
        if b == "*" { return -1 }
        return memo.compare(a, b, scheme) ?? (a < b ? -1 : 1)
    }
}
