/// A cursor over PEP 508 text: names, extras, version clauses and markers (the standard's grammar, hand-written).
struct PEP508Scanner {
    let bytes: [UInt8]
    let text: String
    var position = 0

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }
    var rest: String { String(decoding: bytes[min(position, bytes.count)...], as: UTF8.self) }

    mutating func skipSpaces() {
        while let b = peek, b == 0x20 || b == 0x09 { position += 1 }
    }

    /// Consumes `literal` (after blanks) if it comes next.
    mutating func take(_ literal: String) -> Bool {
        skipSpaces()
        let utf8 = Array(literal.utf8)
        guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else { return false }
        position += utf8.count
        return true
    }

    /// Consumes the keyword `word` only when a non-identifier character follows it.
    mutating func takeWord(_ word: String) -> Bool {
        let start = position
        guard take(word) else { return false }
        if let b = peek, Self.isIdentifier(b) {
            position = start
            return false
        }
        return true
    }

    static func isIdentifier(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
    }

    /// A run of letters, digits, `-`, `_` and `.` (a project name, an extra).
    mutating func identifier() -> String? {
        skipSpaces()
        let start = position
        while let b = peek, Self.isIdentifier(b) { position += 1 }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// `[a, b]`; empty when no `[` follows.
    mutating func extras(context: String?) throws(PythonError) -> [String] {
        guard take("[") else { return [] }
        var names: [String] = []
        if take("]") { return [] }
        repeat {
            guard let name = identifier() else { throw requirementError("an extra name is expected in [...]", context: context) }
            names.append(ProjectName.normalize(name))
        } while take(",")
        guard take("]") else { throw requirementError("']' is expected after the extras", context: context) }
        return names
    }

    /// Version clauses up to `;` or the end, with or without parentheses.
    mutating func versionClauses(context: String?) throws(PythonError) -> SpecifierSet {
        skipSpaces()
        let parenthesised = take("(")
        let start = position
        while let b = peek, b != 0x3B, !(parenthesised && b == 0x29) { position += 1 }
        let clauses = String(decoding: bytes[start..<position], as: UTF8.self)
        if parenthesised, !take(")") { throw requirementError("')' is expected after the version", context: context) }
        do {
            return try SpecifierSet(clauses)
        } catch {
            throw requirementError("\(error)", context: context)
        }
    }

    // MARK: markers

    mutating func markerOr(context: String?) throws(PythonError) -> Marker {
        var left = try markerAnd(context: context)
        while takeWord("or") { left = .or(left, try markerAnd(context: context)) }
        return left
    }

    mutating func markerAnd(context: String?) throws(PythonError) -> Marker {
        var left = try markerAtom(context: context)
        while takeWord("and") { left = .and(left, try markerAtom(context: context)) }
        return left
    }

    mutating func markerAtom(context: String?) throws(PythonError) -> Marker {
        if take("(") {
            let inner = try markerOr(context: context)
            guard take(")") else { throw markerError("')' is expected", context: context) }
            return inner
        }
        let lhs = try markerValue(context: context)
        let op = try markerOperator(context: context)
        let rhs = try markerValue(context: context)
        return .compare(lhs, op, rhs)
    }

    mutating func markerValue(context: String?) throws(PythonError) -> Marker.Value {
        skipSpaces()
        if let quote = peek, quote == 0x22 || quote == 0x27 {
            position += 1
            let start = position
            while let b = peek, b != quote { position += 1 }
            guard !atEnd else { throw markerError("a string is not closed", context: context) }
            let value = String(decoding: bytes[start..<position], as: UTF8.self)
            position += 1
            return .literal(value)
        }
        guard let name = identifier(), let variable = Marker.variables[name] else {
            throw markerError("a marker variable (python_version, platform_machine, extra…) or a quoted string is expected at '\(rest)'", context: context)
        }
        return .variable(variable)
    }

    mutating func markerOperator(context: String?) throws(PythonError) -> String {
        for op in ["===", "~=", "==", "!=", "<=", ">=", "<", ">"] where take(op) { return op }
        if takeWord("in") { return "in" }
        let start = position
        if takeWord("not"), takeWord("in") { return "not in" }
        position = start
        throw markerError("an operator (==, !=, <, <=, >, >=, ~=, in, not in) is expected at '\(rest)'", context: context)
    }

    func markerError(_ reason: String, context: String?) -> PythonError {
        .malformedMarker(text: text, reason: reason, context: context)
    }

    func requirementError(_ reason: String, context: String?) -> PythonError {
        .malformedRequirement(text: text, reason: reason, context: context)
    }
}
