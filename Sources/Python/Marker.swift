/// A PEP 508 environment marker (`python_version < "3.10" and platform_machine == "x86_64"`), parsed once and
/// evaluated for the image's interpreter and architecture rather than for the machine that builds.
public indirect enum Marker: Sendable, Hashable, CustomStringConvertible {
    /// A variable such as `python_version`, or a quoted string.
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case variable(String)
        case literal(String)

        public var description: String {
            switch self {
            case .variable(let name): return name
            case .literal(let text): return text.contains("\"") ? "'\(text)'" : "\"\(text)\""
            }
        }
    }

    case and(Marker, Marker)
    case or(Marker, Marker)
    case compare(Value, String, Value)

    /// The variables PEP 508 defines, plus the dotted spellings older metadata still uses.
    static let variables: [String: String] = {
        var names: [String: String] = [:]
        for name in [
            "python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system",
            "platform_version", "platform_machine", "platform_python_implementation", "implementation_name",
            "implementation_version", "extra",
        ] { names[name] = name }
        names["os.name"] = "os_name"
        names["sys.platform"] = "sys_platform"
        names["platform.version"] = "platform_version"
        names["platform.machine"] = "platform_machine"
        names["platform.python_implementation"] = "platform_python_implementation"
        names["python_implementation"] = "platform_python_implementation"
        return names
    }()

    /// Parses marker text; `context` names where it came from in errors.
    public init(parsing text: String, context: String? = nil) throws(PythonError) {
        var scanner = PEP508Scanner(text)
        let marker = try scanner.markerOr(context: context)
        scanner.skipSpaces()
        guard scanner.atEnd else { throw scanner.markerError("unexpected '\(scanner.rest)'", context: context) }
        self = marker
    }

    public var description: String {
        switch self {
        case .and(let l, let r): return "\(Self.group(l, in: self)) and \(Self.group(r, in: self))"
        case .or(let l, let r): return "\(l) or \(r)"
        case .compare(let l, let op, let r): return "\(l) \(op) \(r)"
        }
    }

    private static func group(_ marker: Marker, in parent: Marker) -> String {
        if case .or = marker { return "(\(marker))" }
        return marker.description
    }

    /// Whether the marker holds in `environment`, with `extra` set to one requested extra (nil: none).
    public func evaluate(_ environment: MarkerEnvironment, extra: String? = nil) -> Bool {
        switch self {
        case .and(let l, let r): return l.evaluate(environment, extra: extra) && r.evaluate(environment, extra: extra)
        case .or(let l, let r): return l.evaluate(environment, extra: extra) || r.evaluate(environment, extra: extra)
        case .compare(let lhs, let op, let rhs):
            let isExtra = lhs == .variable("extra") || rhs == .variable("extra")
            func resolve(_ value: Value) -> String {
                switch value {
                case .literal(let text): return isExtra ? ProjectName.normalize(text) : text
                case .variable(let name):
                    if name == "extra" { return extra.map(ProjectName.normalize) ?? "" }
                    return environment[name]
                }
            }
            return Self.compare(resolve(lhs), op, resolve(rhs))
        }
    }

    /// Whether `extra` appears in the marker (so a dependency belongs to an extra).
    public var mentionsExtra: Bool {
        switch self {
        case .and(let l, let r), .or(let l, let r): return l.mentionsExtra || r.mentionsExtra
        case .compare(let l, _, let r): return l == .variable("extra") || r == .variable("extra")
        }
    }

    /// PEP 508: version operators compare as PEP 440 when both sides are versions, else as strings.
    static func compare(_ lhs: String, _ op: String, _ rhs: String) -> Bool {
        switch op {
        case "in": return rhs.contains(lhs)
        case "not in": return !rhs.contains(lhs)
        default: break
        }
        if op != "===", let clause = try? VersionSpecifier(op + rhs), let version = try? PEP440Version(lhs), version.isPEP440 {
            return clause.contains(version)
        }
        switch op {
        case "==", "===": return lhs == rhs
        case "!=": return lhs != rhs
        case "<": return lhs < rhs
        case "<=": return lhs <= rhs
        case ">": return lhs > rhs
        case ">=": return lhs >= rhs
        default: return false
        }
    }
}

/// The values markers are evaluated against: those of the image's Python on one architecture.
public struct MarkerEnvironment: Sendable, Hashable {
    public var values: [String: String]

    public init(values: [String: String]) { self.values = values }

    /// CPython `fullVersion` (`3.11.2`) on Linux, on `machine` (`x86_64`, `aarch64`).
    public static func linux(pythonFullVersion fullVersion: String, machine: String) -> MarkerEnvironment {
        let parts = fullVersion.split(separator: ".")
        let short = parts.prefix(2).joined(separator: ".")
        return MarkerEnvironment(values: [
            "python_version": short, "python_full_version": fullVersion, "os_name": "posix", "sys_platform": "linux",
            "platform_system": "Linux", "platform_machine": machine, "platform_python_implementation": "CPython",
            "implementation_name": "cpython", "implementation_version": fullVersion,
            // The kernel the container will run on is not known at build time.
            "platform_release": "", "platform_version": "",
        ])
    }

    /// The value of a variable (`""` when unknown).
    public subscript(name: String) -> String { values[Marker.variables[name] ?? name] ?? "" }
}
