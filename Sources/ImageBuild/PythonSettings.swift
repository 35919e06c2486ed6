import Foundation
import Python

/// The build file's `python:` key: which wheels to install, and from which index.
public struct PythonSettings: Sendable, Equatable {
    /// A pip requirements file (absolute path), or nil when `packages:` lists the requirements.
    public var requirements: String?
    /// Inline requirements (`flask>=3`, `pyyaml==6.0.2`).
    public var packages: [String]
    /// `index-url:` (the simple repository); `PIP_INDEX_URL` wins over it.
    public var indexURL: String?
    /// `pre: true` lets pre-releases be chosen.
    public var preReleases: Bool

    /// PyPI's simple repository.
    public static let defaultIndexURL = "https://pypi.org/simple/"

    public init(requirements: String? = nil, packages: [String] = [], indexURL: String? = nil, preReleases: Bool = false) {
        self.requirements = requirements
        self.packages = packages
        self.indexURL = indexURL
        self.preReleases = preReleases
    }

    static func parse(_ value: YAMLReader, directory: String) throws(BuildError) -> PythonSettings {
        var settings = PythonSettings()
        for (key, item) in try value.mapping(allowed: ["requirements", "packages", "index-url", "pre"]) {
            switch key {
            case "requirements":
                let path = try item.string()
                settings.requirements = path.hasPrefix("/") ? path : directory + "/" + path
                guard FileManager.default.fileExists(atPath: settings.requirements ?? "") else {
                    throw item.error("the requirements file \(path) does not exist")
                }
            case "packages":
                settings.packages = try item.strings()
                for (number, text) in settings.packages.enumerated() {
                    let requirement: Requirement
                    do {
                        requirement = try Requirement(parsing: text)
                    } catch {
                        throw item.error("packages[\(number)] '\(text)' is not a requirement: \(error.reason)")
                    }
                    if requirement.url != nil { throw item.error("packages[\(number)] '\(text)': name a version, not a URL") }
                }
            case "index-url":
                let url = try item.string()
                if !(url.hasPrefix("http://") || url.hasPrefix("https://")) { throw item.error("index-url is an http:// or https:// URL") }
                settings.indexURL = url
            default:
                settings.preReleases = try item.bool()
            }
        }
        if settings.requirements != nil && !settings.packages.isEmpty {
            throw value.error("give either `requirements:` (a file) or `packages:` (a list), not both")
        }
        if settings.requirements == nil && settings.packages.isEmpty {
            throw value.error("python: needs `requirements:` (a pip requirements file) or `packages:` (a list such as [flask>=3])")
        }
        return settings
    }
}

extension BuildFile {
    /// Whether the image has the distro's Python (the python3 preset, or its package listed).
    var hasPython: Bool {
        base == .python3 || packages.contains(Preset.pythonPackage(distro)) || packages.contains("python3")
    }
}
