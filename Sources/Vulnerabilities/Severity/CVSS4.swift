/// A CVSS v4.0 vector and its score, computed as the specification does: the vector's MacroVector (six
/// equivalence classes) gives a score from the specification's table, lowered by how far the vector is
/// from the most severe vector of its MacroVector, in proportion to the next lower MacroVector's score.
public struct CVSS4: Sendable, Equatable {
    /// The vector as given.
    public let vector: String
    /// The score, 0.0 to 10.0 (CVSS-B for a base vector; threat and environmental metrics count when given).
    public let baseScore: Double

    static let allowed: [String: Set<String>] = [
        "AV": ["N", "A", "L", "P"], "AC": ["L", "H"], "AT": ["N", "P"], "PR": ["N", "L", "H"], "UI": ["N", "P", "A"],
        "VC": ["H", "L", "N"], "VI": ["H", "L", "N"], "VA": ["H", "L", "N"], "SC": ["H", "L", "N"], "SI": ["H", "L", "N"], "SA": ["H", "L", "N"],
        "E": ["X", "A", "P", "U"], "CR": ["X", "H", "M", "L"], "IR": ["X", "H", "M", "L"], "AR": ["X", "H", "M", "L"],
        "MAV": ["X", "N", "A", "L", "P"], "MAC": ["X", "L", "H"], "MAT": ["X", "N", "P"], "MPR": ["X", "N", "L", "H"], "MUI": ["X", "N", "P", "A"],
        "MVC": ["X", "H", "L", "N"], "MVI": ["X", "H", "L", "N"], "MVA": ["X", "H", "L", "N"], "MSC": ["X", "H", "L", "N"],
        "MSI": ["X", "S", "H", "L", "N"], "MSA": ["X", "S", "H", "L", "N"],
        "S": ["X", "N", "P"], "AU": ["X", "N", "Y"], "R": ["X", "A", "U", "I"], "V": ["X", "D", "C"], "RE": ["X", "L", "M", "H"],
        "U": ["X", "Clear", "Green", "Amber", "Red"],
    ]
    static let base = ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"]

    /// Parses `vector` (`CVSS:4.0/AV:N/…`) and scores it; throws when a base metric is missing or a value unknown.
    public init(_ vector: String) throws(VulnerabilityError) {
        self.vector = vector
        baseScore = Self.roundHalfUp(Self.unroundedScore(Effective(metrics: try Self.parse(vector))))
    }

    /// The vector's metrics, validated: the prefix, known metrics and values, no repeats, every base metric.
    static func parse(_ vector: String) throws(VulnerabilityError) -> [String: String] {
        let parts = vector.split(separator: "/").map(String.init)
        guard parts.first == "CVSS:4.0" else { throw .malformedCVSS(vector: vector, reason: "it does not start with CVSS:4.0/") }
        var metrics: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2, let values = Self.allowed[pair[0]] else { throw .malformedCVSS(vector: vector, reason: "'\(part)' is not a CVSS v4.0 metric") }
            guard values.contains(pair[1]) else { throw .malformedCVSS(vector: vector, reason: "\(pair[0]):\(pair[1]) is not a valid value") }
            if metrics[pair[0]] != nil { throw .malformedCVSS(vector: vector, reason: "metric \(pair[0]) appears twice") }
            metrics[pair[0]] = pair[1]
        }
        for metric in Self.base where metrics[metric] == nil {
            throw .malformedCVSS(vector: vector, reason: "base metric \(metric) is missing")
        }
        return metrics
    }

    /// Rounds to one decimal, half up, as FIRST's calculator does: with a 1e-6 nudge so that a value such as
    /// 5.65 that floating point holds as 5.6499999… still rounds up.
    static func roundHalfUp(_ value: Double) -> Double { ((value + 1e-6) * 10).rounded(.toNearestOrAwayFromZero) / 10 }

    /// The score before rounding (tests compare rounding-boundary cases with it).
    static func unroundedScore(_ vector: String) throws(VulnerabilityError) -> Double {
        unroundedScore(Effective(metrics: try parse(vector)))
    }

    /// Metric values as scoring sees them: unset threat and requirements take their worst case, and a
    /// modified (environmental) value replaces the base value.
    struct Effective {
        let metrics: [String: String]

        subscript(_ metric: String) -> String {
            let value = metrics[metric] ?? "X"
            if metric == "E" && value == "X" { return "A" }
            if ["CR", "IR", "AR"].contains(metric) && value == "X" { return "H" }
            if let modified = metrics["M" + metric], modified != "X" { return modified }
            return value
        }
    }

    static func macroVector(_ m: Effective) -> [Int] {
        let eq1: Int
        if m["AV"] == "N" && m["PR"] == "N" && m["UI"] == "N" {
            eq1 = 0
        } else if (m["AV"] == "N" || m["PR"] == "N" || m["UI"] == "N") && m["AV"] != "P" {
            eq1 = 1
        } else {
            eq1 = 2
        }
        let eq2 = m["AC"] == "L" && m["AT"] == "N" ? 0 : 1
        let eq3 = m["VC"] == "H" && m["VI"] == "H" ? 0 : (m["VC"] == "H" || m["VI"] == "H" || m["VA"] == "H" ? 1 : 2)
        // Safety (S) exists only as a modified subsequent-system value.
        let eq4 = m.metrics["MSI"] == "S" || m.metrics["MSA"] == "S" ? 0 : (m["SC"] == "H" || m["SI"] == "H" || m["SA"] == "H" ? 1 : 2)
        let eq5 = m["E"] == "A" ? 0 : (m["E"] == "P" ? 1 : 2)
        let eq6 = (m["CR"] == "H" && m["VC"] == "H") || (m["IR"] == "H" && m["VI"] == "H") || (m["AR"] == "H" && m["VA"] == "H") ? 0 : 1
        return [eq1, eq2, eq3, eq4, eq5, eq6]
    }

    static func unroundedScore(_ m: Effective) -> Double {
        if ["VC", "VI", "VA", "SC", "SI", "SA"].allSatisfy({ m[$0] == "N" }) { return 0 }
        let macro = macroVector(m)
        func lookup(_ digits: [Int]) -> Double? { CVSS4Tables.macroVectorScores[digits.map(String.init).joined()] }
        guard let value = lookup(macro) else { return 0 }
        let (eq1, eq2, eq3, eq4, eq5, eq6) = (macro[0], macro[1], macro[2], macro[3], macro[4], macro[5])
        func lower(_ index: Int) -> [Int] {
            var next = macro
            next[index] += 1
            return next
        }
        let lowerEq3eq6: Double?
        switch (eq3, eq6) {
        case (0, 0):
            // Two ways down; the higher-scoring one is the next lower MacroVector.
            let left = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1])
            let right = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6])
            if let l = left, let r = right { lowerEq3eq6 = l > r ? l : r } else { lowerEq3eq6 = right }
        case (0, 1), (1, 1): lowerEq3eq6 = lookup(lower(2))
        case (1, 0): lowerEq3eq6 = lookup(lower(5))
        default: lowerEq3eq6 = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1])
        }
        let lowers = [lookup(lower(0)), lookup(lower(1)), lowerEq3eq6, lookup(lower(3)), lookup(lower(4))]

        // The most severe vector of this MacroVector that the scored vector does not exceed anywhere.
        let metricOrder = ["AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR"]
        var distances: [String: Double] = [:]
        search: for a in CVSS4Tables.eq1Maxima[eq1] {
            for b in CVSS4Tables.eq2Maxima[eq2] {
                for c in CVSS4Tables.eq3eq6Maxima[eq3][eq6] {
                    for d in CVSS4Tables.eq4Maxima[eq4] {
                        let maximum = a.merging(b) { x, _ in x }.merging(c) { x, _ in x }.merging(d) { x, _ in x }
                        var candidate: [String: Double] = [:]
                        for metric in metricOrder {
                            let table = CVSS4Tables.levels[metric] ?? [:]
                            candidate[metric] = (table[m[metric]] ?? 0) - (table[maximum[metric] ?? ""] ?? 0)
                        }
                        distances = candidate
                        if candidate.values.allSatisfy({ $0 >= 0 }) { break search }
                    }
                }
            }
        }
        func d(_ metric: String) -> Double { distances[metric] ?? 0 }
        let current = [
            d("AV") + d("PR") + d("UI"), d("AC") + d("AT"), d("VC") + d("VI") + d("VA") + d("CR") + d("IR") + d("AR"),
            d("SC") + d("SI") + d("SA"), 0,
        ]
        let depths = [
            CVSS4Tables.eq1Depth[eq1], CVSS4Tables.eq2Depth[eq2], CVSS4Tables.eq3eq6Depth[eq3][eq6], CVSS4Tables.eq4Depth[eq4], 1,
        ]
        var total = 0.0
        var count = 0
        for i in 0..<5 {
            guard let next = lowers[i] else { continue }
            count += 1
            // EQ5 has no depth inside its MacroVector: it never lowers the score.
            if i < 4 { total += (value - next) * (current[i] / (depths[i] * 0.1)) }
        }
        return min(max(value - (count == 0 ? 0 : total / Double(count)), 0), 10)
    }
}
