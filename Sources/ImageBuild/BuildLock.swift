import Archive
import Debian
import Foundation
import Python
import SystemSupport

/// A Debian package the build added because a native file needs a library it ships.
public struct NativeAddition: Codable, Equatable, Sendable {
    /// The Debian package (`zlib1g`).
    public var package: String
    /// The soname or path it provides (`libz.so.1`).
    public var library: String
    /// The image path of the file that needs it (`/app/hello`).
    public var file: String

    public init(package: String, library: String, file: String) {
        self.package = package
        self.library = library
        self.file = file
    }
}

/// `distill.lock` as a whole: Debian's package sets (``LockFile``), and beside them the chosen wheels per
/// architecture and the packages added for native libraries. One sorted-key JSON document.
struct BuildLock: Equatable {
    var debian: LockFile
    var python: PythonLock?
    /// Architecture to the packages added for native files (already part of `debian`'s package sets).
    var native: [String: [NativeAddition]]
    /// The image `base: {image:}` names, pinned per architecture.
    var baseImage: LockedImage?
    /// The images `copy_from:` names, pinned per architecture, in the build file's order.
    var copyFrom: [LockedImage]

    init(
        debian: LockFile, python: PythonLock? = nil, native: [String: [NativeAddition]] = [:], baseImage: LockedImage? = nil,
        copyFrom: [LockedImage] = []
    ) {
        self.debian = debian
        self.python = python
        self.native = native
        self.baseImage = baseImage
        self.copyFrom = copyFrom
    }

    /// The keys beside Debian's.
    private struct Extra: Codable {
        var python: PythonLock?
        var native: [String: [NativeAddition]]?
        var baseImage: LockedImage?
        var copyFrom: [LockedImage]?

        enum CodingKeys: String, CodingKey {
            case python, native
            case baseImage = "base_image"
            case copyFrom = "copy_from"
        }
    }

    /// Reads and validates the lock at `path` (CRLF and a byte-order mark are accepted, as for Debian's part).
    static func read(_ path: String) throws -> BuildLock {
        let debian = try LockFile.read(from: URL(fileURLWithPath: path))
        guard var data = FileManager.default.contents(atPath: path) else { throw DebianError.lockMalformed(file: path, reason: "cannot read the file") }
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        let extra: Extra
        do {
            extra = try JSONDecoder().decode(Extra.self, from: data)
        } catch {
            throw DebianError.lockMalformed(file: path, reason: "its python or native part cannot be read: \(error)")
        }
        try extra.python?.validate(file: path)
        for (architecture, additions) in extra.native ?? [:] {
            for addition in additions where !Self.isPackageName(addition.package) {
                throw DebianError.lockMalformed(file: path, reason: "native (\(architecture)): '\(addition.package)' is not a Debian package name")
            }
        }
        try extra.baseImage?.validate(file: path)
        for image in extra.copyFrom ?? [] { try image.validate(file: path) }
        return BuildLock(debian: debian, python: extra.python, native: extra.native ?? [:], baseImage: extra.baseImage, copyFrom: extra.copyFrom ?? [])
    }

    /// The lock as written: Debian's fields and the extra keys, pretty, sorted, with a final line break.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(Document(lock: self))
        data.append(0x0A)
        return data
    }

    /// Writes the lock atomically (a temporary file beside it, then a rename).
    func write(to path: String) throws {
        try AtomicWrite.write(try encoded(), to: path)
    }

    /// Debian package names: lowercase letters, digits, `+`, `-`, `.`, starting with a letter or digit.
    static func isPackageName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count >= 2, (0x30...0x39).contains(first) || (0x61...0x7A).contains(first) else { return false }
        return name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
    }

    /// Encodes Debian's lock and the extra keys into one object.
    private struct Document: Encodable {
        let lock: BuildLock

        enum Keys: String, CodingKey {
            case python, native
            case baseImage = "base_image"
            case copyFrom = "copy_from"
        }

        func encode(to encoder: any Encoder) throws {
            try lock.debian.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeIfPresent(lock.python, forKey: .python)
            if !lock.native.isEmpty { try container.encode(lock.native, forKey: .native) }
            try container.encodeIfPresent(lock.baseImage, forKey: .baseImage)
            if !lock.copyFrom.isEmpty { try container.encode(lock.copyFrom, forKey: .copyFrom) }
        }
    }
}
