/// What the wheels were resolved from; the lock's wheels are used only while these stay the same.
///
/// The index URL is deliberately not part of it (as the Debian mirror is not): a mirror serves the same files.
public struct PythonLockInputs: Codable, Equatable, Sendable {
    /// The root requirements as written (normalised), with their hashes.
    public var requirements: [String]
    /// The image's Python (`3.11`).
    public var python: String
    public var preReleases: Bool

    public init(requirements: [String], python: String, preReleases: Bool) {
        self.requirements = requirements
        self.python = python
        self.preReleases = preReleases
    }

    /// The inputs of `roots` for an image with Python `python`.
    public init(roots: [RootRequirement], python: String, preReleases: Bool) {
        self.init(
            requirements: roots.map { root in
                ([root.requirement.description] + root.hashes.sorted().map { "--hash=sha256:\($0)" }).joined(separator: " ")
            }, python: python, preReleases: preReleases)
    }
}

/// One wheel pinned by the lock: where to get it and what it must hash to.
public struct LockedWheel: Codable, Equatable, Sendable {
    public var name: String
    public var version: String
    public var filename: String
    public var url: String
    public var sha256: String

    public init(name: String, version: String, filename: String, url: String, sha256: String) {
        self.name = name
        self.version = version
        self.filename = filename
        self.url = url
        self.sha256 = sha256
    }

    /// The lock entry of a resolved package.
    public init(_ package: ResolvedPackage) {
        self.init(
            name: package.name.normalized, version: package.version.string, filename: package.file.filename, url: package.file.url,
            sha256: package.file.sha256 ?? "")
    }

    /// The index file it stands for.
    public var file: IndexFile { IndexFile(filename: filename, url: url, sha256: sha256) }
}

/// The Python part of `distill.lock`: the chosen wheels per architecture.
public struct PythonLock: Codable, Equatable, Sendable {
    public var inputs: PythonLockInputs
    /// Architecture to its wheels, sorted by name.
    public var wheels: [String: [LockedWheel]]

    public init(inputs: PythonLockInputs, wheels: [String: [LockedWheel]]) {
        self.inputs = inputs
        self.wheels = wheels.mapValues { $0.sorted { $0.name < $1.name } }
    }

    /// Throws unless the lock was made for `current` and has wheels for every one of `architectures`.
    public func check(against current: PythonLockInputs, architectures: [String], file: String) throws(PythonError) {
        if inputs.python != current.python { throw .lockMismatch(file: file, reason: "Python \(inputs.python), not \(current.python)") }
        if inputs.requirements != current.requirements || inputs.preReleases != current.preReleases {
            throw .lockMismatch(file: file, reason: "other Python requirements")
        }
        if let missing = architectures.first(where: { wheels[$0] == nil }) {
            throw .lockMismatch(file: file, reason: "other architectures (it has no \(missing) wheels)")
        }
    }

    /// Refuses values that would reach the cache or the network unchecked.
    public func validate(file: String) throws(PythonError) {
        for (architecture, list) in wheels.sorted(by: { $0.key < $1.key }) {
            for wheel in list {
                let what = "\(file): wheel \(wheel.filename) (\(architecture))"
                guard wheel.sha256.utf8.count == 64, wheel.sha256.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                    throw .lockMismatch(file: file, reason: "a lock whose \(what) has no valid sha256 '\(wheel.sha256)'")
                }
                guard wheel.url.hasPrefix("http://") || wheel.url.hasPrefix("https://") else {
                    throw .lockMismatch(file: file, reason: "a lock whose \(what) has a URL that is not http(s)")
                }
                let parsed: WheelFilename
                do {
                    parsed = try WheelFilename(wheel.filename)
                } catch {
                    throw .lockMismatch(file: file, reason: "a lock whose \(what) is not a wheel: \(error.reason)")
                }
                guard parsed.name.normalized == ProjectName.normalize(wheel.name) else {
                    throw .lockMismatch(file: file, reason: "a lock whose \(what) is not a wheel of \(wheel.name)")
                }
            }
        }
    }
}
