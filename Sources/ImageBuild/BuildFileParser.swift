import Archive
import Debian
import Foundation
import ImageFormat
import SystemSupport

extension BuildFile {
    /// Reads and validates the build file at `path`; a folder stands for the `distill.yaml` in it.
    public static func load(_ path: String) throws(BuildError) -> BuildFile {
        var path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let inside = (path.hasSuffix("/") ? path : path + "/") + "distill.yaml"
            guard FileManager.default.fileExists(atPath: inside) else {
                throw .unreadable(file: path, reason: "it is a folder with no distill.yaml in it; give the build file itself")
            }
            path = inside
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        let text = try Self.text(of: data, file: path)
        let directory = (URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path)
        return try parse(text, file: path, directory: directory)
    }

    /// The file's text without a UTF-8 byte-order mark, with LF line ends; binary data is refused
    /// rather than echoed back in a YAML error.
    static func text(of data: Data, file: String) throws(BuildError) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let offset = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            throw .unreadable(file: file, reason: "it is not a text file (control byte at offset \(offset - data.startIndex)); a build file is YAML")
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw .unreadable(file: file, reason: "it is not UTF-8 text; a build file is YAML")
        }
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Parses build-file text; `directory` resolves relative paths, `file` names it in errors.
    public static func parse(_ text: String, file: String, directory: String) throws(BuildError) -> BuildFile {
        var build = BuildFile(
            name: Self.defaultName(directory), base: nil, distro: .debian12, archs: [Self.hostArchitecture],
            mirror: nil, suites: nil, packages: [], exclude: [], allow: [], app: [], accounts: Accounts(), user: "nonroot",
            entrypoint: nil, cmd: nil, workdir: nil, env: [:], expose: [], healthcheck: nil, labels: [:], annotations: [:],
            directory: directory, path: file)
        guard let root = try YAMLReader.parse(text, file: file) else {
            throw .buildFile(file: file, line: 1, column: 1, message: "the build file is empty; it needs at least `base:` or `packages:`")
        }
        // Values whose meaning depends on other keys are checked once the whole file is read.
        var later = LaterChecks()
        var variants: YAMLReader?
        for (key, value) in try root.mapping(allowed: keys) {
            if ["user", "workdir", "entrypoint", "cmd"].contains(key) { build.written.insert(key) }
            switch key {
            case "name":
                build.name = try value.string()
                if !Self.isValidName(build.name) {
                    throw value.error(
                        "'\(build.name)' is not a valid image name: lowercase letters and digits, separated by '.', '_' or '-' (e.g. `\(Self.sanitizedName(build.name))`)")
                }
            case "base":
                if case .mapping = value.node {
                    build.baseImage = try parseBaseImage(value, directory: directory)
                } else {
                    build.base = try value.oneOf(Preset.Name.allCases.map(\.rawValue)) { Preset.Name(rawValue: $0) }
                }
            case "copy_from": build.copyFrom = try parseCopyFrom(value, directory: directory)
            case "distro":
                build.distro = try value.oneOf(DebianDistro.allCases.map(\.rawValue)) { DebianDistro(rawValue: $0) }
            case "archs":
                build.archs = try parseArchs(value)
                build.archsListed = true
            case "mirror":
                let mirror = try value.string()
                if !(mirror.hasPrefix("http://") || mirror.hasPrefix("https://")) {
                    throw value.error("a mirror is an http:// or https:// URL")
                }
                build.mirror = mirror
            case "suites":
                build.suites = try value.strings()
                later.suites = try value.list()
            case "packages": build.packages = try value.strings()
            case "exclude":
                build.exclude = try value.strings()
                later.exclude = try value.list()
            case "allow": build.allow = try value.strings()
            case "app":
                build.app = []
                for item in try value.list() { build.app.append(try parseApp(item, directory: directory)) }
            case "accounts": build.accounts = try parseAccounts(value)
            case "user":
                build.user = try value.string()
                later.user = value
            case "entrypoint": build.entrypoint = try value.strings(single: false)
            case "cmd": build.cmd = try value.strings(single: false)
            case "workdir":
                let workdir = try value.string()
                if !workdir.hasPrefix("/") { throw value.error("workdir must be an absolute path") }
                build.workdir = workdir
            case "env": build.env = try value.stringMap()
            case "expose":
                build.expose = []
                for item in try value.list() {
                    let text = try item.string()
                    let parts = text.split(separator: "/", maxSplits: 1)
                    guard let port = Int(parts.first ?? ""), (1...65535).contains(port),
                        parts.count == 1 || ["tcp", "udp", "sctp"].contains(String(parts[1]))
                    else { throw item.error("'\(text)' is not a port (e.g. 8080 or 53/udp)") }
                    build.expose.append(parts.count == 1 ? "\(port)/tcp" : text)
                }
            case "healthcheck": build.healthcheck = try parseHealthcheck(value)
            case "labels": build.labels = try value.stringMap()
            case "annotations": build.annotations = try value.stringMap()
            case "compression":
                build.compression = try value.oneOf(BuildOptions.compressionNames) { LayerCompression(rawValue: $0) }
            case "python":
                build.python = try PythonSettings.parse(value, directory: directory)
                later.python = value
            case "debug": build.debug = try value.bool()
            case "variants": variants = value
            default:
                break
            }
        }
        if build.base == nil && build.baseImage == nil && build.packages.isEmpty {
            throw .buildFile(
                file: file, line: 1, column: 1,
                message: "say what goes in the image: `base:` (static, base-nossl, base, cc, python3, or {image: REF}) or `packages:`")
        }
        try later.check(build)
        // Variants change the settings read above, so they are read last.
        if let variants { build.variants = try parseVariants(variants, into: build, later: later) }
        return build
    }

    /// `archs:`: supported architectures, at least one, none twice.
    static func parseArchs(_ value: YAMLReader) throws(BuildError) -> [String] {
        var archs: [String] = []
        for item in try value.list() {
            archs.append(try item.oneOf(supportedArchitectures) { supportedArchitectures.contains($0) ? $0 : nil })
        }
        if archs.isEmpty { throw value.error("list at least one architecture") }
        if Set(archs).count != archs.count { throw value.error("an architecture is listed twice") }
        return archs
    }

    static let supportedArchitectures = ["amd64", "arm64"]

    /// The Debian name of the machine's architecture.
    public static var hostArchitecture: String { Platform.host.architecture }

    /// The folder's name as an image name (`My App` → `my-app`).
    private static func defaultName(_ directory: String) -> String {
        let base = FilePaths.name(of: directory)
        return base == "/" ? "image" : sanitizedName(base)
    }

    private static func parseApp(_ item: YAMLReader, directory: String) throws(BuildError) -> AppEntry {
        var source: String?
        var target: String?
        var entry = AppEntry(source: "", target: "")
        for (key, value) in try item.mapping(allowed: ["source", "target", "owner", "mode", "exclude"]) {
            switch key {
            case "source":
                source = try value.string()
                entry.location = value.node.mark.map { SourceLocation(line: $0.line, column: $0.column) }
            case "target":
                let text = try value.string()
                if !text.hasPrefix("/") { throw value.error("target must be an absolute path in the image") }
                target = text
            case "owner":
                let text = try value.string()
                let parts = text.split(separator: ":", maxSplits: 1)
                guard let uid = Int64(parts.first ?? ""), parts.count == 1 || Int64(parts[1]) != nil else {
                    throw value.error("owner is numeric uid[:gid], e.g. 65532:65532")
                }
                entry.uid = uid
                entry.gid = parts.count == 2 ? Int64(parts[1]) : uid
            case "mode":
                let text = try value.string()
                guard let mode = UInt32(text, radix: 8), mode <= 0o7777 else { throw value.error("mode is octal, e.g. 0755") }
                entry.mode = mode
            case "exclude":
                entry.exclude = try value.strings()
                if let bad = entry.exclude.first(where: { $0.isEmpty || $0.hasPrefix("/") || $0.split(separator: "/").contains("..") }) {
                    throw value.error("'\(bad)' is not an exclude pattern: a name or a path relative to the source, e.g. tests or *.pyc")
                }
            default: break
            }
        }
        guard let source else { throw item.error("an app entry needs `source:`") }
        guard let target else { throw item.error("an app entry needs `target:`") }
        entry.source = source.hasPrefix("/") ? source : directory + "/" + source
        entry.target = target
        return entry
    }

    private static func parseAccounts(_ value: YAMLReader) throws(BuildError) -> Accounts {
        var accounts = Accounts()
        for (key, list) in try value.mapping(allowed: ["users", "groups"]) {
            for item in try list.list() {
                if key == "users" {
                    var name: String?, uid: Int?, gid: Int?, home: String?
                    for (k, v) in try item.mapping(allowed: ["name", "uid", "gid", "home"]) {
                        switch k {
                        case "name": name = try v.string()
                        case "uid": uid = try v.int()
                        case "gid": gid = try v.int()
                        default: home = try v.string()
                        }
                    }
                    guard let name, let uid else { throw item.error("a user needs `name:` and `uid:`") }
                    accounts.users.append(.init(name: name, uid: Int64(uid), gid: Int64(gid ?? uid), home: home ?? "/home/\(name)"))
                } else {
                    var name: String?, gid: Int?
                    for (k, v) in try item.mapping(allowed: ["name", "gid"]) {
                        if k == "name" { name = try v.string() } else { gid = try v.int() }
                    }
                    guard let name, let gid else { throw item.error("a group needs `name:` and `gid:`") }
                    accounts.groups.append(.init(name: name, gid: Int64(gid)))
                }
            }
        }
        return accounts
    }

    private static func parseHealthcheck(_ value: YAMLReader) throws(BuildError) -> HealthcheckSpec {
        if case .sequence = value.node {
            return HealthcheckSpec(command: try value.strings())
        }
        var check = HealthcheckSpec(command: [])
        for (key, v) in try value.mapping(allowed: ["command", "interval", "timeout", "start-period", "retries"]) {
            switch key {
            case "command": check.command = try v.strings()
            case "interval": check.intervalSeconds = try v.int()
            case "timeout": check.timeoutSeconds = try v.int()
            case "start-period": check.startPeriodSeconds = try v.int()
            default: check.retries = try v.int()
            }
        }
        if check.command.isEmpty { throw value.error("a healthcheck needs `command:` (a list: program and arguments)") }
        return check
    }
}
