/// A version relation operator of Depends/Provides fields.
public enum RelationOperator: String, Sendable, Codable, CaseIterable {
    case lessThan = "<<"
    case lessOrEqual = "<="
    case equal = "="
    case greaterOrEqual = ">="
    case greaterThan = ">>"

    /// True if a version comparing `comparison` (negative, zero, positive) against the bound satisfies this operator.
    @inline(__always)
    public func accepts(_ comparison: Int) -> Bool {
        switch self {
        case .lessThan: return comparison < 0
        case .lessOrEqual: return comparison <= 0
        case .equal: return comparison == 0
        case .greaterOrEqual: return comparison >= 0
        case .greaterThan: return comparison > 0
        }
    }
}

/// `(>= 2.34)`: an operator and a version.
public struct VersionConstraint: Sendable, Equatable, CustomStringConvertible {
    public var relation: RelationOperator
    public var version: DebianVersion

    public init(_ relation: RelationOperator, _ version: DebianVersion) {
        self.relation = relation
        self.version = version
    }

    /// True if `candidate` satisfies the constraint.
    public func isSatisfied(by candidate: DebianVersion) -> Bool {
        relation.accepts(DebianVersion.compare(candidate, version))
    }

    public var description: String { "\(relation.rawValue) \(version)" }
}

/// One package in a relation: `libc6:any (>= 2.34) [amd64 arm64]`.
public struct PackageRelation: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// `any`, `native` or an architecture name after a colon; nil when absent.
    public var architectureQualifier: String?
    public var constraint: VersionConstraint?
    /// The `[...]` restriction list as written (`amd64`, `!i386`); empty when absent.
    public var architectures: [String]

    public init(name: String, architectureQualifier: String? = nil, constraint: VersionConstraint? = nil, architectures: [String] = []) {
        self.name = name
        self.architectureQualifier = architectureQualifier
        self.constraint = constraint
        self.architectures = architectures
    }

    /// True unless an `[arch]` restriction leaves `architecture` out.
    public func applies(to architecture: String) -> Bool {
        if architectures.isEmpty { return true }
        let negated = architectures.allSatisfy { $0.hasPrefix("!") }
        if negated { return !architectures.contains("!" + architecture) }
        return architectures.contains(architecture) || architectures.contains("any")
    }

    public var description: String {
        var s = name
        if let q = architectureQualifier { s += ":" + q }
        if let c = constraint { s += " (\(c))" }
        if !architectures.isEmpty { s += " [\(architectures.joined(separator: " "))]" }
        return s
    }
}

/// One comma-separated element of a Depends field: alternatives separated by `|`.
public struct Dependency: Sendable, Equatable, CustomStringConvertible {
    public var alternatives: [PackageRelation]

    public init(_ alternatives: [PackageRelation]) { self.alternatives = alternatives }

    public var description: String { alternatives.map(\.description).joined(separator: " | ") }
}

/// Parses the relation fields of control files (Depends, Pre-Depends, Provides…).
public enum RelationParser {
    /// Parses a Depends-style field; `package` and `field` name the source in errors.
    public static func dependencies(_ text: String, package: String, field: String) throws(DebianError) -> [Dependency] {
        var result: [Dependency] = []
        var current: [PackageRelation] = []
        var scanner = RelationScanner(text: text, package: package, field: field)
        var afterRelation = false
        var afterBar = false
        while true {
            scanner.skipBlanks()
            guard let byte = scanner.peek() else {
                if afterBar { throw scanner.failure("'|' without a package after it") }
                break
            }
            switch byte {
            case UInt8(ascii: ","):
                if afterBar { throw scanner.failure("'|' without a package after it") }
                scanner.index += 1
                if !current.isEmpty { result.append(Dependency(current)) }
                current = []
                afterRelation = false
            case UInt8(ascii: "|"):
                guard afterRelation else { throw scanner.failure("'|' without a package before it") }
                scanner.index += 1
                afterRelation = false
                afterBar = true
            default:
                if afterRelation { throw scanner.failure("expected ',' or '|' before '\(scanner.rest)'") }
                current.append(try scanner.relation())
                afterRelation = true
                afterBar = false
            }
        }
        if !current.isEmpty { result.append(Dependency(current)) }
        return result
    }

    /// Parses a Provides field: a comma-separated list without alternatives, versions only with `=`.
    public static func provides(_ text: String, package: String) throws(DebianError) -> [PackageRelation] {
        let deps = try dependencies(text, package: package, field: "Provides")
        var result: [PackageRelation] = []
        for dep in deps {
            guard dep.alternatives.count == 1 else {
                throw .malformedRelation(package: package, field: "Provides", text: text, reason: "alternatives are not allowed")
            }
            let relation = dep.alternatives[0]
            if let c = relation.constraint, c.relation != .equal {
                throw .malformedRelation(
                    package: package, field: "Provides", text: text, reason: "only '=' versions may be provided, not '\(c.relation.rawValue)'")
            }
            result.append(relation)
        }
        return result
    }
}

/// A byte cursor over one relation field.
private struct RelationScanner {
    let text: String
    let bytes: [UInt8]
    let package: String
    let field: String
    var index = 0

    init(text: String, package: String, field: String) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.package = package
        self.field = field
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    var rest: String { String(decoding: bytes[index...].prefix(40), as: UTF8.self) }

    mutating func skipBlanks() {
        while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { index += 1 }
    }

    func failure(_ reason: String) -> DebianError {
        .malformedRelation(package: package, field: field, text: text, reason: reason)
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2D || b == 0x2E
            || b == 0x5F
    }

    mutating func word(_ what: String, allowing extra: (UInt8) -> Bool = { _ in false }) throws(DebianError) -> String {
        let start = index
        while let b = peek(), Self.isNameByte(b) || extra(b) { index += 1 }
        guard index > start else {
            throw failure(peek() == nil ? "\(what) missing at the end" : "expected \(what) at '\(rest)'")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func relation() throws(DebianError) -> PackageRelation {
        var relation = PackageRelation(name: try word("a package name"))
        skipBlanks()
        if peek() == UInt8(ascii: ":") {
            index += 1
            relation.architectureQualifier = try word("an architecture after ':'")
            skipBlanks()
        }
        if peek() == UInt8(ascii: "(") {
            index += 1
            skipBlanks()
            relation.constraint = try constraint()
            skipBlanks()
            guard peek() == UInt8(ascii: ")") else { throw failure("missing ')' after the version") }
            index += 1
            skipBlanks()
        }
        if peek() == UInt8(ascii: "[") {
            index += 1
            while true {
                skipBlanks()
                guard let b = peek() else { throw failure("missing ']'") }
                if b == UInt8(ascii: "]") {
                    index += 1
                    break
                }
                relation.architectures.append(try word("an architecture", allowing: { $0 == UInt8(ascii: "!") }))
            }
            skipBlanks()
        }
        // Build profiles `<!nocheck>` only matter when building from source; skip them.
        while peek() == UInt8(ascii: "<") {
            while let b = peek(), b != UInt8(ascii: ">") { index += 1 }
            guard peek() != nil else { throw failure("missing '>' after a build profile") }
            index += 1
            skipBlanks()
        }
        return relation
    }

    mutating func constraint() throws(DebianError) -> VersionConstraint {
        let op: RelationOperator
        func at(_ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }
        switch (peek(), at(index + 1)) {
        case (UInt8(ascii: "<"), UInt8(ascii: "<")): op = .lessThan; index += 2
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): op = .lessOrEqual; index += 2
        case (UInt8(ascii: ">"), UInt8(ascii: ">")): op = .greaterThan; index += 2
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): op = .greaterOrEqual; index += 2
        case (UInt8(ascii: "="), _): op = .equal; index += 1
        // Obsolete single '<' and '>' mean '<=' and '>=' (deb-control(5)).
        case (UInt8(ascii: "<"), _): op = .lessOrEqual; index += 1
        case (UInt8(ascii: ">"), _): op = .greaterOrEqual; index += 1
        default: throw failure("expected a relation (<< <= = >= >>) at '\(rest)'")
        }
        skipBlanks()
        let start = index
        while let b = peek(), b != UInt8(ascii: ")"), b != 0x20, b != 0x09, b != 0x0A, b != 0x0D { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        do {
            return VersionConstraint(op, try DebianVersion(text))
        } catch {
            throw failure("\(error)")
        }
    }
}
