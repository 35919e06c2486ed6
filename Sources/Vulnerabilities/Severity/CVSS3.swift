import Foundation

/// A CVSS v3.0 or v3.1 vector and its base score, computed with the specification's formulas.
public struct CVSS3: Sendable, Equatable {
    /// The vector as given.
    public let vector: String
    /// `3.0` or `3.1`.
    public let version: String
    /// The base score, 0.0 to 10.0.
    public let baseScore: Double

    /// Parses `vector` (`CVSS:3.1/AV:N/AC:L/…`) and computes its base score; throws when a base metric is missing or unknown.
    public init(_ vector: String) throws(VulnerabilityError) {
        self.vector = vector
        let parts = vector.split(separator: "/").map(String.init)
        guard let prefix = parts.first, prefix == "CVSS:3.0" || prefix == "CVSS:3.1" else {
            throw .malformedCVSS(vector: vector, reason: "it does not start with CVSS:3.0/ or CVSS:3.1/")
        }
        version = String(prefix.dropFirst(5))
        var metrics: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw .malformedCVSS(vector: vector, reason: "'\(part)' is not METRIC:VALUE") }
            if metrics[pair[0]] != nil { throw .malformedCVSS(vector: vector, reason: "metric \(pair[0]) appears twice") }
            metrics[pair[0]] = pair[1]
        }
        func weight(_ metric: String, _ table: [String: Double]) throws(VulnerabilityError) -> Double {
            guard let value = metrics[metric] else { throw .malformedCVSS(vector: vector, reason: "base metric \(metric) is missing") }
            guard let w = table[value] else { throw .malformedCVSS(vector: vector, reason: "\(metric):\(value) is not a valid value") }
            return w
        }
        let scopeChanged: Bool
        switch metrics["S"] {
        case "U": scopeChanged = false
        case "C": scopeChanged = true
        default: throw .malformedCVSS(vector: vector, reason: "base metric S is missing or not U/C")
        }
        let av = try weight("AV", ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2])
        let ac = try weight("AC", ["L": 0.77, "H": 0.44])
        let pr = try weight("PR", scopeChanged ? ["N": 0.85, "L": 0.68, "H": 0.5] : ["N": 0.85, "L": 0.62, "H": 0.27])
        let ui = try weight("UI", ["N": 0.85, "R": 0.62])
        let cia = ["H": 0.56, "L": 0.22, "N": 0.0]
        let c = try weight("C", cia)
        let i = try weight("I", cia)
        let a = try weight("A", cia)

        let iss = 1 - (1 - c) * (1 - i) * (1 - a)
        let impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss
        let exploitability = 8.22 * av * ac * pr * ui
        let isV30 = prefix == "CVSS:3.0"
        func roundUp(_ x: Double) -> Double { isV30 ? Self.roundUp30(x) : Self.roundUp31(x) }
        if impact <= 0 {
            baseScore = 0
        } else if scopeChanged {
            baseScore = roundUp(min(1.08 * (impact + exploitability), 10))
        } else {
            baseScore = roundUp(min(impact + exploitability, 10))
        }
    }

    /// CVSS v3.1's Roundup: the smallest one-decimal number not below the input, free of floating-point noise.
    static func roundUp31(_ value: Double) -> Double {
        let integer = Int((value * 100_000).rounded())
        if integer % 10_000 == 0 { return Double(integer) / 100_000 }
        return (Double(integer / 10_000) + 1) / 10
    }

    /// CVSS v3.0's round up to one decimal.
    static func roundUp30(_ value: Double) -> Double { (value * 10).rounded(.up) / 10 }
}
