import Archive
import Foundation
import ImageFormat

/// Where a wheel's parts go in the image: Debian's own layout, so the image's python3 finds them with no PYTHONPATH.
public struct InstallScheme: Sendable, Hashable {
    /// purelib and platlib (`usr/lib/python3/dist-packages`), normalised, without a leading `/`.
    public var sitePackages: String
    /// `.data/scripts` and entry points (`usr/bin`).
    public var scripts: String
    /// `.data/headers`, below which each project gets a folder (`usr/include/python3.11`).
    public var headers: String
    /// `.data/data` (`usr`).
    public var data: String
    /// The interpreter scripts start with (`/usr/bin/python3.11`).
    public var interpreter: String

    /// Debian's python3 for `3.11`: the folder Debian's own python3-* packages use.
    public static func debian(pythonVersion: String) -> InstallScheme {
        InstallScheme(
            sitePackages: "usr/lib/python3/dist-packages", scripts: "usr/bin", headers: "usr/include/python\(pythonVersion)", data: "usr",
            interpreter: "/usr/bin/python\(pythonVersion)")
    }

    public init(sitePackages: String, scripts: String, headers: String, data: String, interpreter: String) {
        self.sitePackages = sitePackages
        self.scripts = scripts
        self.headers = headers
        self.data = data
        self.interpreter = interpreter
    }
}

/// What one installed wheel put where.
public struct InstalledWheel: Sendable, Hashable {
    public var name: ProjectName
    public var version: PEP440Version
    /// Normalised image paths of the regular files it installed (RECORD and INSTALLER included).
    public var files: [String]
}

/// Installs wheels as PEP 427 says: files verified against RECORD, `.data/` folders moved to their scheme folder,
/// `#!python` scripts and entry points pointed at the image's interpreter, `INSTALLER` and a new `RECORD` written.
public struct WheelInstaller: Sendable {
    public let scheme: InstallScheme
    /// Written to `INSTALLER`.
    public var installerName = "distill"

    public init(scheme: InstallScheme) { self.scheme = scheme }

    /// Adds the wheel at `path` to `tree` (file contents staged below the private folder `staging`); `owners`
    /// records which wheel put each path there, so two wheels writing one file is an error naming both.
    public func install(
        wheel path: String, filename: String, into tree: inout LayerTree, owners: inout [String: String], staging: String
    ) throws(PythonError) -> InstalledWheel {
        let wheel = try WheelFilename(filename)
        let small = try WheelArchive.smallMembers(of: path, filename: filename) { member in
            WheelArchive.distInfo(of: member, wheel: wheel) != nil
                && ["WHEEL", "RECORD", "entry_points.txt"].contains(String(member.split(separator: "/").last ?? ""))
                && member.split(separator: "/").count == 2
        }
        guard let distInfo = small.keys.compactMap({ WheelArchive.distInfo(of: $0, wheel: wheel) }).first,
            let wheelFile = small[distInfo + "/WHEEL"]
        else {
            throw .malformedWheel(file: filename, reason: "no \(wheel.name)-\(wheel.version).dist-info/WHEEL")
        }
        try Self.checkWheelVersion(wheelFile, file: filename)
        guard let recordData = small[distInfo + "/RECORD"] else { throw .malformedWheel(file: filename, reason: "no \(distInfo)/RECORD") }
        let recorded = try WheelRecord(parsing: recordData, file: filename).sha256ByPath
        let dataFolder = String(distInfo.dropLast(".dist-info".count)) + ".data"
        let label = "\(wheel.name) \(wheel.version)"

        var installed: [(path: String, digest: Data, size: Int64)] = []
        var tempIndex = 0
        do {
            let reader = try ArchiveReader(path: path, format: .zip, name: filename)
            while let entry = try reader.nextEntry() {
                guard let member = try ArchivePath.normalize(entry.rawPath, archive: filename, allowAbsolute: false) else { continue }
                switch entry.kind {
                case .directory: continue
                case .regular: break
                default: throw PythonError.malformedWheel(file: filename, reason: "\(member) is not a regular file")
                }
                if member == distInfo + "/RECORD" || member == distInfo + "/RECORD.jws" || member == distInfo + "/RECORD.p7s" { continue }
                let (destination, isScript) = try destination(of: member, dataFolder: dataFolder, project: wheel.name, file: filename)
                let node: LayerNode
                let digest: Data
                let size: Int64
                if isScript {
                    let content = try reader.readAll(limit: WheelArchive.smallMemberLimit, what: "\(member) in \(filename)")
                    try Self.verify(Digest.sha256(of: content), member: member, recorded: recorded, file: filename)
                    let rewritten = Self.rewriteShebang(content, interpreter: scheme.interpreter)
                    node = .file(.bytes(rewritten), mode: 0o755)
                    digest = Digest.sha256(of: rewritten).bytes
                    size = Int64(rewritten.count)
                } else {
                    tempIndex += 1
                    let stagedPath = staging + "/\(tempIndex)"
                    let hashing = HashingSink(try FileSink(path: stagedPath, durable: false))
                    try reader.copy(to: hashing)
                    try hashing.finish()
                    try Self.verify(hashing.digest, member: member, recorded: recorded, file: filename)
                    let mode: UInt32 = entry.permissions & 0o111 != 0 ? 0o755 : 0o644
                    node = .file(.file(path: stagedPath, size: hashing.count), mode: mode)
                    digest = hashing.digest.bytes
                    size = hashing.count
                }
                try put(node, at: destination, label: label, tree: &tree, owners: &owners)
                installed.append((destination, digest, size))
            }
        } catch let error as PythonError {
            throw error
        } catch {
            throw .malformedWheel(file: filename, reason: "\(error)")
        }

        if let entryPoints = small[distInfo + "/entry_points.txt"] {
            for script in try ConsoleScript.parse(String(decoding: entryPoints, as: UTF8.self), file: filename) {
                let content = Data(script.launcher(interpreter: scheme.interpreter).utf8)
                let destination = scheme.scripts + "/" + script.name
                // An entry point replaces a script of the same name from the wheel's .data, as pip does.
                owners[destination] = nil
                installed.removeAll { $0.path == destination }
                try put(.file(.bytes(content), mode: 0o755), at: destination, label: label, tree: &tree, owners: &owners)
                installed.append((destination, Digest.sha256(of: content).bytes, Int64(content.count)))
            }
        }
        let installer = Data((installerName + "\n").utf8)
        let installerPath = scheme.sitePackages + "/" + distInfo + "/INSTALLER"
        try put(.file(.bytes(installer)), at: installerPath, label: label, tree: &tree, owners: &owners)
        installed.append((installerPath, Digest.sha256(of: installer).bytes, Int64(installer.count)))

        let recordPath = scheme.sitePackages + "/" + distInfo + "/RECORD"
        var lines = installed.map { WheelRecord.Line(path: relative($0.path), hash: WheelRecord.hashField($0.digest), size: String($0.size)) }
        lines.append(WheelRecord.Line(path: relative(recordPath), hash: "", size: ""))
        lines.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        try put(.file(.bytes(Data(WheelRecord(lines: lines).text.utf8))), at: recordPath, label: label, tree: &tree, owners: &owners)
        return InstalledWheel(name: wheel.name, version: wheel.version, files: installed.map(\.path) + [recordPath])
    }

    /// Where a member goes; `.data/scripts/` members are scripts (their `#!python` line is rewritten).
    private func destination(of member: String, dataFolder: String, project: ProjectName, file: String) throws(PythonError) -> (String, Bool) {
        let parts = member.split(separator: "/", maxSplits: 2).map(String.init)
        guard parts.first == dataFolder else { return (scheme.sitePackages + "/" + member, false) }
        guard parts.count == 3 else { throw .malformedWheel(file: file, reason: "\(member): a .data member lies in a scheme folder") }
        switch parts[1] {
        case "purelib", "platlib": return (scheme.sitePackages + "/" + parts[2], false)
        case "scripts": return (scheme.scripts + "/" + parts[2], true)
        case "headers": return (scheme.headers + "/" + project.normalized + "/" + parts[2], false)
        case "data": return (scheme.data + "/" + parts[2], false)
        default: throw .malformedWheel(file: file, reason: "\(member): '\(parts[1])' is not a scheme (purelib, platlib, scripts, headers, data)")
        }
    }

    private func put(_ node: LayerNode, at path: String, label: String, tree: inout LayerTree, owners: inout [String: String]) throws(PythonError) {
        if let first = owners[path], first != label { throw .fileConflict(path: path, first: first, second: label) }
        if let existing = tree[path], existing.kind == .directory { throw .fileConflict(path: path, first: "a folder", second: label) }
        owners[path] = label
        tree.insert(node, at: path)
    }

    /// The image path relative to the site folder, as RECORD lists it (`../../../bin/flask`).
    private func relative(_ path: String) -> String {
        let base = scheme.sitePackages.split(separator: "/")
        let target = path.split(separator: "/")
        var common = 0
        while common < base.count, common < target.count - 1, base[common] == target[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + target[common...].map(String.init)).joined(separator: "/")
    }

    /// PEP 427: `Wheel-Version` 1.x only (a newer major version may change how files are laid out).
    public static func checkWheelVersion(_ data: Data, file: String) throws(PythonError) {
        let fields = CoreMetadata.headers(String(decoding: data, as: UTF8.self))
        guard let version = fields.first(where: { $0.0 == "wheel-version" })?.1 else {
            throw .malformedWheel(file: file, reason: "WHEEL has no Wheel-Version")
        }
        guard version.split(separator: ".").first == "1" else {
            throw .malformedWheel(file: file, reason: "Wheel-Version \(version) is not 1.x; distill installs wheels of format 1")
        }
    }

    /// A member RECORD lists with a sha256 must match it (the wheel's own integrity check).
    private static func verify(_ digest: Digest, member: String, recorded: [String: String], file: String) throws(PythonError) {
        guard let expected = recorded[member] else { return }
        let actual = WheelRecord.urlSafeBase64(digest.bytes)
        guard actual == expected else {
            throw .malformedWheel(file: file, reason: "\(member) does not match its RECORD digest (sha256=\(expected), got sha256=\(actual))")
        }
    }

    /// `#!python` (and `#!pythonw`) become `#!<interpreter>`, as PEP 427 asks; other scripts are left as they are.
    public static func rewriteShebang(_ content: Data, interpreter: String) -> Data {
        guard content.starts(with: Array("#!python".utf8)) else { return content }
        let end = content.firstIndex(of: 0x0A) ?? content.endIndex
        let first = String(decoding: content[content.startIndex..<end], as: UTF8.self)
        guard first == "#!python" || first == "#!pythonw" || first.hasPrefix("#!python ") || first.hasPrefix("#!pythonw ") else { return content }
        return Data(("#!" + interpreter).utf8) + content[end...]
    }
}
