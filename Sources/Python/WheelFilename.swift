/// A wheel's file name (PEP 427, PEP 491): `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`,
/// each tag part possibly a `.`-separated set (`py2.py3`, `manylinux_2_17_x86_64.manylinux2014_x86_64`).
public struct WheelFilename: Sendable, Hashable, CustomStringConvertible {
    /// One (python, abi, platform) combination the wheel claims to support.
    public struct Tag: Sendable, Hashable, CustomStringConvertible {
        public var python: String
        public var abi: String
        public var platform: String
        public var description: String { "\(python)-\(abi)-\(platform)" }
    }

    public let filename: String
    public let name: ProjectName
    public let version: PEP440Version
    public let buildTag: String?
    public let pythonTags: [String]
    public let abiTags: [String]
    public let platformTags: [String]

    /// Parses a file name ending in `.whl`.
    public init(_ filename: String) throws(PythonError) {
        guard filename.hasSuffix(".whl"), !filename.contains("/") else {
            throw .malformedWheelFilename(filename: filename, reason: "a wheel's name ends in .whl and has no '/'")
        }
        let parts = filename.dropLast(4).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5 || parts.count == 6, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .malformedWheelFilename(filename: filename, reason: "expected name-version[-build]-python-abi-platform.whl")
        }
        do {
            name = try ProjectName(parts[0])
            version = try PEP440Version(parts[1])
        } catch {
            throw .malformedWheelFilename(filename: filename, reason: error.reason)
        }
        guard version.isPEP440 else { throw .malformedWheelFilename(filename: filename, reason: "'\(parts[1])' is not a PEP 440 version") }
        if parts.count == 6 {
            guard let first = parts[2].utf8.first, first >= 0x30 && first <= 0x39 else {
                throw .malformedWheelFilename(filename: filename, reason: "the build tag '\(parts[2])' must start with a digit")
            }
            buildTag = parts[2]
        } else {
            buildTag = nil
        }
        self.filename = filename
        pythonTags = parts[parts.count - 3].lowercased().split(separator: ".").map(String.init)
        abiTags = parts[parts.count - 2].lowercased().split(separator: ".").map(String.init)
        platformTags = parts[parts.count - 1].lowercased().split(separator: ".").map(String.init)
    }

    /// Every combination of the tag sets.
    public var tags: [Tag] {
        pythonTags.flatMap { python in abiTags.flatMap { abi in platformTags.map { Tag(python: python, abi: abi, platform: $0) } } }
    }

    public var description: String { filename }

    /// `foo-1.0.tar.gz` / `.zip` → its version, for source distributions (which are never installed, only reported).
    public static func sourceDistributionVersion(_ filename: String, project: ProjectName) -> PEP440Version? {
        var stem = Substring(filename)
        guard let ext = [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz"].first(where: { filename.lowercased().hasSuffix($0) }) else { return nil }
        stem = stem.dropLast(ext.count)
        guard let dash = stem.lastIndex(of: "-"), ProjectName.normalize(String(stem[..<dash])) == project.normalized else { return nil }
        guard let version = try? PEP440Version(String(stem[stem.index(after: dash)...])), version.isPEP440 else { return nil }
        return version
    }
}

/// The interpreter and platform wheels are chosen for: the image's CPython, its architecture and its glibc.
public struct PythonPlatform: Sendable, Hashable, CustomStringConvertible {
    /// `3.11.2`.
    public let fullVersion: String
    public let major: Int
    public let minor: Int
    /// Debian's name (`amd64`, `arm64`).
    public let architecture: String
    /// The kernel's name (`x86_64`, `aarch64`), as in platform tags and `platform_machine`.
    public let machine: String
    /// The image's glibc, as (2, 36).
    public let glibcMajor: Int
    public let glibcMinor: Int

    /// A platform; `architecture` must be amd64 or arm64 (nil otherwise).
    public init?(pythonVersion fullVersion: String, architecture: String, glibc: (Int, Int)) {
        let parts = fullVersion.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2, let machine = Self.machines[architecture], let version = try? PEP440Version(fullVersion), version.isPEP440
        else { return nil }
        pythonVersion = version
        self.fullVersion = fullVersion
        major = parts[0]
        minor = parts[1]
        self.architecture = architecture
        self.machine = machine
        glibcMajor = glibc.0
        glibcMinor = glibc.1
    }

    static let machines = ["amd64": "x86_64", "arm64": "aarch64"]

    public var description: String {
        "CPython \(major).\(minor) on linux \(architecture) (\(machine), glibc \(glibcMajor).\(glibcMinor))"
    }

    /// The values PEP 508 markers see.
    public var markerEnvironment: MarkerEnvironment { .linux(pythonFullVersion: fullVersion, machine: machine) }

    /// The full version, for `Requires-Python`.
    public let pythonVersion: PEP440Version

    /// How well a wheel fits, lower is better (the order of `packaging.tags.sys_tags`); nil when it cannot be installed.
    public func rank(_ wheel: WheelFilename) -> Int? {
        wheel.tags.compactMap(rank).min()
    }

    /// The rank of one tag; platform-specific wheels before pure ones, newer glibc baselines first.
    public func rank(_ tag: WheelFilename.Tag) -> Int? {
        guard let interpreter = interpreterRank(python: tag.python, abi: tag.abi) else { return nil }
        if tag.platform == "any" { return 1_000_000 + interpreter }
        guard let platform = platformRank(tag.platform) else { return nil }
        return interpreter * 1000 + platform
    }

    private func interpreterRank(python: String, abi: String) -> Int? {
        let own = "cp\(major)\(minor)"
        if python == own && abi == own { return 0 }
        if abi == "abi3", python.hasPrefix("cp\(major)"), let older = Int(python.dropFirst(3)), older <= minor, major == 3 ? older >= 2 : true {
            return 1 + (minor - older)
        }
        guard abi == "none" else { return nil }
        if python == own { return 100 }
        if python == "py\(major)\(minor)" { return 200 }
        if python == "py\(major)" { return 201 }
        if python.hasPrefix("py\(major)"), let older = Int(python.dropFirst(3)), older < minor { return 202 + (minor - older) }
        return nil
    }

    /// manylinux only, up to the image's glibc; `linux_*` wheels (built for one machine) and musllinux never fit.
    private func platformRank(_ platform: String) -> Int? {
        let suffix = "_" + machine
        guard platform.hasSuffix(suffix) else { return nil }
        let stem = platform.dropLast(suffix.count)
        let baseline: (Int, Int)
        switch stem {
        case "manylinux1": baseline = (2, 5)
        case "manylinux2010": baseline = (2, 12)
        case "manylinux2014": baseline = (2, 17)
        default:
            let parts = stem.split(separator: "_")
            guard parts.count == 3, parts[0] == "manylinux", let major = Int(parts[1]), let minor = Int(parts[2]) else { return nil }
            baseline = (major, minor)
        }
        guard baseline.0 == glibcMajor, baseline.1 <= glibcMinor else { return nil }
        return glibcMinor - baseline.1
    }
}
