/// A PEP 508 dependency: `name[extra,…] (version clauses) ; marker`, as in requirements files and `Requires-Dist`.
public struct Requirement: Sendable, Hashable, CustomStringConvertible {
    /// The project, normalised.
    public let name: ProjectName
    /// The extras asked for, normalised (PEP 685).
    public let extras: [String]
    public let specifier: SpecifierSet
    /// `name @ URL` requirements name a file instead of versions.
    public let url: String?
    /// When the requirement applies; nil: always.
    public let marker: Marker?

    public init(name: ProjectName, extras: [String] = [], specifier: SpecifierSet = SpecifierSet(), url: String? = nil, marker: Marker? = nil) {
        self.name = name
        self.extras = extras
        self.specifier = specifier
        self.url = url
        self.marker = marker
    }

    /// Parses one requirement; `context` (a file and line) names it in errors.
    public init(parsing text: String, context: String? = nil) throws(PythonError) {
        var scanner = PEP508Scanner(text)
        guard let rawName = scanner.identifier() else {
            throw scanner.requirementError("it does not start with a project name", context: context)
        }
        do {
            name = try ProjectName(rawName)
        } catch {
            throw scanner.requirementError("'\(rawName)' is not a project name", context: context)
        }
        extras = try scanner.extras(context: context)
        if scanner.take("@") {
            scanner.skipSpaces()
            let start = scanner.position
            while let b = scanner.peek, b != 0x20, b != 0x09, b != 0x3B { scanner.position += 1 }
            let link = String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self)
            guard !link.isEmpty else { throw scanner.requirementError("a URL is expected after '@'", context: context) }
            url = link
            specifier = SpecifierSet()
        } else {
            url = nil
            specifier = try scanner.versionClauses(context: context)
        }
        if scanner.take(";") {
            marker = try scanner.markerOr(context: context)
        } else {
            marker = nil
        }
        scanner.skipSpaces()
        guard scanner.atEnd else { throw scanner.requirementError("unexpected '\(scanner.rest)'", context: context) }
    }

    public var description: String {
        var text = name.normalized
        if !extras.isEmpty { text += "[" + extras.joined(separator: ",") + "]" }
        if let url { text += " @ " + url } else { text += specifier.description }
        if let marker { text += "; " + marker.description }
        return text
    }

    /// Whether the requirement applies in `environment` for the given extras of the project that declares it.
    ///
    /// A marker naming `extra` applies when it holds for one of `extras`; any other marker is evaluated once, with no extra.
    public func applies(in environment: MarkerEnvironment, extras requested: Set<String>) -> Bool {
        guard let marker else { return true }
        if !marker.mentionsExtra { return marker.evaluate(environment) }
        return requested.sorted().contains { marker.evaluate(environment, extra: $0) }
    }
}
