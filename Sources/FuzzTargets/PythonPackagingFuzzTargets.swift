import Archive
import Foundation
import Python

/// What `build` reads when it installs Python packages: requirements files, wheel names with their
/// WHEEL and RECORD files, and the simple repository's project pages (PEP 503 HTML, PEP 691 JSON).
enum PythonPackagingFuzzTargets {
    static let all = [requirements, wheel, simpleindex]

    /// The environments the resolver evaluates markers and tags in (both architectures distill builds for).
    static let platforms = [
        PythonPlatform(pythonVersion: "3.11.2", architecture: "amd64", glibc: (2, 36)),
        PythonPlatform(pythonVersion: "3.13.5", architecture: "arm64", glibc: (2, 41)),
    ].compactMap { $0 }

    /// A requirements file: options, hashes, continuations and `${VAR}`; then every entry's marker and specifier
    /// evaluated as the resolver would, and its printed form parsed again.
    static let requirements = FuzzTarget(name: "requirements", summary: "pip requirements files and PEP 508 requirements", seeds: requirementSeeds) {
        data in
        attempt {
            let file = try RequirementsFile.parse(String(decoding: data, as: UTF8.self), name: "requirements.txt", environment: ["TOKEN": "x"])
            for entry in file.entries.prefix(32) {
                let requirement = entry.requirement
                for platform in platforms {
                    _ = requirement.applies(in: platform.markerEnvironment, extras: Set(requirement.extras))
                    _ = requirement.specifier.contains(platform.pythonVersion, preReleases: file.preReleases)
                }
                _ = try? Requirement(parsing: requirement.description)
            }
        }
    }

    /// First line a wheel file name (tags ranked for each platform); the rest a WHEEL file (its header block)
    /// and, all of it, a RECORD file.
    static let wheel = FuzzTarget(name: "wheel", summary: "wheel file names, WHEEL and RECORD files", seeds: wheelSeeds) { data in
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let rest = Data((parts.count > 1 ? parts[1] : "").utf8)
        var accepted = false
        if let name = try? WheelFilename(String(parts.first ?? "")) {
            accepted = true
            for platform in platforms { _ = platform.rank(name) }
            _ = WheelFilename.sourceDistributionVersion(name.filename, project: name.name)
        }
        if (try? WheelInstaller.checkWheelVersion(rest, file: "fuzz.whl")) != nil { accepted = true }
        if let record = try? WheelRecord(parsing: rest, file: "fuzz.whl") {
            _ = record.sha256ByPath
        }
        return accepted ? .accepted : .rejected
    }

    /// A project page, read both as HTML and as JSON, as ``SimpleIndexPage/parse(_:contentType:url:)`` picks by media type.
    static let simpleindex = FuzzTarget(name: "simpleindex", summary: "PyPI simple index pages (PEP 503 HTML, PEP 691 JSON)", seeds: indexSeeds) {
        data in
        let url = "https://pypi.example/simple/fuzz/"
        let html = try? SimpleIndexPage.parse(data, contentType: "text/html", url: url)
        let json = try? SimpleIndexPage.parse(data, contentType: SimpleIndexPage.jsonType, url: url)
        for file in (html ?? []) + (json ?? []) {
            _ = try? WheelFilename(file.filename)
            _ = file.requiresPython.flatMap { try? SpecifierSet($0) }
        }
        return html == nil && json == nil ? .rejected : .accepted
    }

    // MARK: seeds

    /// The example app's requirements (examples/flask-app), the Requires-Dist lines of the frozen slice's metadata, and pip's options.
    @Sendable static func requirementSeeds(_ testData: URL) -> [FuzzSeed] {
        var seeds = [FuzzSeed("example", "# Installed from wheels only, for the image's Python.\nflask==3.1.1\npyyaml==6.0.2\n")]
        for seed in VulnerabilityFuzzTargets.metadataSeeds(testData) {
            let lines = String(decoding: seed.data, as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("Requires-Dist: ") }.map { $0.dropFirst("Requires-Dist: ".count) }
            if !lines.isEmpty { seeds.append(FuzzSeed(seed.name + "-requires", lines.joined(separator: "\n") + "\n")) }
        }
        seeds.append(
            FuzzSeed(
                "options",
                """
                # pinned, with hashes
                --index-url https://${TOKEN}@pypi.example/simple
                --pre
                --only-binary :all:
                flask==3.1.1 \\
                    --hash=sha256:07aae2bb5eaf77993ef57e357491839f5fd9f4dc281593a81a9e4d79a24f295c
                requests[socks,security] >=2.31, <3 ; python_version >= "3.8" and platform_machine != "s390x"  # comment
                Jinja2 ~= 3.1.0
                zope.interface===5.*

                """))
        seeds.append(FuzzSeed("refused", "-e .\npkg @ https://example.com/pkg-1.0-py3-none-any.whl\n-r other.txt\n", valid: false))
        return seeds
    }

    /// The dist-info WHEEL and RECORD of the slice's wheels, each behind the wheel's own name.
    @Sendable static func wheelSeeds(_ testData: URL) -> [FuzzSeed] {
        SeedFiles.memo("wheels \(testData.path)") {
            var seeds: [FuzzSeed] = []
            for wheel in SeedFiles.files(testData, "pypi/files", limit: 8, maxSize: 160 << 10, where: { $0.hasSuffix(".whl") }) {
                let filename = String(wheel.name.split(separator: "/").last ?? "")
                let members = zipMembers(wheel.data, name: filename) { $0.hasSuffix(".dist-info/WHEEL") || $0.hasSuffix(".dist-info/RECORD") }
                guard let wheelFile = members.first(where: { $0.key.hasSuffix("/WHEEL") })?.value,
                    let record = members.first(where: { $0.key.hasSuffix("/RECORD") })?.value
                else { continue }
                // Long RECORDs cut to their first rows: a small seed keeps the fuzzer fast.
                let rows = String(decoding: record, as: UTF8.self).split(separator: "\n").prefix(12).joined(separator: "\n")
                seeds.append(FuzzSeed(filename, Data((filename + "\n").utf8) + wheelFile + Data(("\n" + rows + "\n").utf8)))
            }
            return seeds
        }
    }

    /// Every project page of the slice as HTML, and the same files written as PEP 691 JSON.
    @Sendable static func indexSeeds(_ testData: URL) -> [FuzzSeed] {
        var seeds = SeedFiles.files(testData, "pypi/simple", limit: 16, maxSize: 32 << 10) { $0.hasSuffix(".html") }
        for page in seeds.prefix(4) {
            guard let files = try? SimpleIndexPage.parseHTML(String(decoding: page.data, as: UTF8.self), url: "https://pypi.example/simple/x/") else {
                continue
            }
            let entries: [[String: Any]] = files.map { file in
                var entry: [String: Any] = ["filename": file.filename, "url": file.url, "hashes": ["sha256": file.sha256 ?? ""]]
                if let requires = file.requiresPython { entry["requires-python"] = requires }
                if let yanked = file.yanked { entry["yanked"] = yanked.isEmpty ? true as Any : yanked }
                if case .sha256(let hex) = file.metadata { entry["core-metadata"] = ["sha256": hex] }
                return entry
            }
            let document: [String: Any] = ["meta": ["api-version": "1.1"], "name": "x", "files": entries]
            if let json = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]) {
                seeds.append(FuzzSeed(page.name + ".json", json))
            }
        }
        return seeds
    }

    /// The members of a zip whose path passes `wanted`, read whole (seeds only).
    static func zipMembers(_ zip: Data, name: String, wanted: (String) -> Bool) -> [String: Data] {
        var members: [String: Data] = [:]
        guard let reader = try? ArchiveReader(source: DataSource(zip), format: .zip, name: name) else { return members }
        while let entry = try? reader.nextEntry() {
            guard wanted(entry.rawPath), let data = try? reader.readAll(limit: 4 << 20, what: entry.rawPath) else { continue }
            members[entry.rawPath] = data
        }
        return members
    }
}
