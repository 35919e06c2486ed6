import Foundation

/// What the Go toolchain embeds in every binary it links: the Go version, the main module and its dependencies.
public struct GoBuildInfo: Sendable, Equatable, Codable {
    /// One module: path, version and go.sum hash, possibly replaced by another.
    public struct Module: Sendable, Equatable, Codable {
        public var path: String
        public var version: String
        public var sum: String?
        public var replacement: Replacement?

        public init(path: String, version: String, sum: String? = nil, replacement: Replacement? = nil) {
            self.path = path
            self.version = version
            self.sum = sum
            self.replacement = replacement
        }
    }

    /// A `replace` directive's target (a module path or a local directory).
    public struct Replacement: Sendable, Equatable, Codable {
        public var path: String
        public var version: String
        public var sum: String?

        public init(path: String, version: String, sum: String?) {
            self.path = path
            self.version = version
            self.sum = sum
        }
    }

    /// The toolchain, e.g. `go1.22.3`.
    public var goVersion: String
    /// The main package's import path.
    public var path: String?
    public var main: Module?
    public var dependencies: [Module]
    /// `build` lines: flags and VCS facts, by key.
    public var settings: [String: String]

    public init(goVersion: String, path: String?, main: Module?, dependencies: [Module], settings: [String: String]) {
        self.goVersion = goVersion
        self.path = path
        self.main = main
        self.dependencies = dependencies
        self.settings = settings
    }

    /// The header every Go binary's `.go.buildinfo` section starts with.
    static let magic: [UInt8] = [0xFF] + Array(" Go buildinf:".utf8)
    /// The header is 32 bytes: magic, pointer size, flags, padding.
    static let headerSize = 32
    private static let flagBigEndian: UInt8 = 0x1
    private static let flagInline: UInt8 = 0x2

    /// The outcome of decoding bytes that start at a candidate header.
    enum Decoded: Equatable {
        case info(GoBuildInfo)
        /// At least this many bytes (from the header) are needed to decide.
        case needMore(Int)
        /// Not a build-info header after all (a stray copy of the magic, or a pre-1.18 pointer layout).
        case invalid
    }

    /// Decodes the build info starting at `bytes[0]` (the magic). Only the inline layout of Go 1.18 and later
    /// is read; older binaries store pointers into the data segment that a single forward pass cannot follow.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Decoded {
        guard bytes.count >= headerSize else { return .needMore(headerSize) }
        guard bytes.starts(with: magic) else { return .invalid }
        let pointerSize = bytes[14], flags = bytes[15]
        guard pointerSize == 4 || pointerSize == 8, flags & flagInline != 0, flags & ~(flagBigEndian | flagInline) == 0 else {
            return .invalid
        }
        var offset = headerSize
        func string() -> ([UInt8]?, Int?) {
            var length: UInt64 = 0
            var shift: UInt64 = 0
            var position = offset
            while true {
                guard position < bytes.count else { return (nil, position + 10) }
                let byte = bytes[position]
                position += 1
                length |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
                if shift > 56 { return (nil, nil) }
            }
            guard length < 1 << 24 else { return (nil, nil) }
            let end = position + Int(length)
            guard end <= bytes.count else { return (nil, end) }
            offset = end
            return (Array(bytes[position..<end]), nil)
        }
        let (versionBytes, needVersion) = string()
        guard let versionBytes else { return needVersion.map { .needMore($0) } ?? .invalid }
        let version = String(decoding: versionBytes, as: UTF8.self)
        guard version.hasPrefix("go") || version.hasPrefix("devel") else { return .invalid }
        let (modinfo, needModinfo) = string()
        guard let modinfo else { return needModinfo.map { .needMore($0) } ?? .invalid }
        return .info(parse(version: version, modinfo: strippedModinfo(modinfo)))
    }

    /// The module text sits between two 16-byte binary sentinels, which carry no information.
    private static func strippedModinfo(_ bytes: [UInt8]) -> String {
        guard bytes.count >= 33, bytes[bytes.count - 17] == UInt8(ascii: "\n") else { return "" }
        return String(decoding: bytes[16..<(bytes.count - 16)], as: UTF8.self)
    }

    /// Parses the tab-separated lines `path`, `mod`, `dep`, `=>` and `build`.
    static func parse(version: String, modinfo: String) -> GoBuildInfo {
        var info = GoBuildInfo(goVersion: version, path: nil, main: nil, dependencies: [], settings: [:])
        var lastWasMain = false
        for line in modinfo.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let key = fields.first else { continue }
            func module() -> Module? {
                guard fields.count >= 3 else { return nil }
                return Module(path: fields[1], version: fields[2], sum: fields.count > 3 && !fields[3].isEmpty ? fields[3] : nil)
            }
            switch key {
            case "path" where fields.count >= 2:
                info.path = fields[1]
            case "mod":
                info.main = module()
                lastWasMain = true
            case "dep":
                if let dep = module() { info.dependencies.append(dep) }
                lastWasMain = false
            case "=>":
                guard fields.count >= 2 else { continue }
                let replacement = Replacement(
                    path: fields[1], version: fields.count > 2 ? fields[2] : "", sum: fields.count > 3 && !fields[3].isEmpty ? fields[3] : nil)
                if lastWasMain {
                    info.main?.replacement = replacement
                } else if !info.dependencies.isEmpty {
                    info.dependencies[info.dependencies.count - 1].replacement = replacement
                }
            case "build" where fields.count >= 2:
                let setting = fields[1...].joined(separator: "\t")
                if let equals = setting.firstIndex(of: "=") {
                    info.settings[String(setting[..<equals])] = unquote(String(setting[setting.index(after: equals)...]))
                }
            default:
                continue
            }
        }
        return info
    }

    /// Values with spaces or quotes are written Go-quoted; undo the common escapes.
    private static func unquote(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        var result = ""
        var escaped = false
        for character in value.dropFirst().dropLast() {
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
