/// A CVSS v4.0 vector. Its score needs the specification's MacroVector table, which distill does not carry yet,
/// so parsing always fails and records scored only with v4 fall back to their own rating.
public struct CVSS4: Sendable, Equatable {
    public let vector: String
    public let baseScore: Double

    /// Throws: CVSS v4.0 scoring is not implemented in this version.
    public init(_ vector: String) throws(VulnerabilityError) {
        throw .malformedCVSS(vector: vector, reason: "CVSS v4.0 scoring is not available in this version")
    }
}
