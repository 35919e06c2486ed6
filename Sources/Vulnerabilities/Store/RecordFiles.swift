import Archive
import Foundation

/// The OSV JSON documents at one import path: an `all.zip`, a folder (searched recursively) or one `.json` file.
public struct RecordFiles: Sendable {
    public enum Kind: Sendable { case zip, folder, file }

    /// The path as given, made absolute.
    public let path: String
    public let kind: Kind

    /// Looks at `path` and decides how to read it.
    public init(path: String) throws(VulnerabilityError) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = (absolute as NSString).standardizingPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: self.path, isDirectory: &isDirectory) else {
            throw .io(path: path, reason: "no such file or folder")
        }
        if isDirectory.boolValue {
            kind = .folder
        } else if Self.startsWithZipMagic(self.path) {
            kind = .zip
        } else if self.path.hasSuffix(".json") {
            kind = .file
        } else {
            throw .unsupportedImportPath(path: path)
        }
    }

    /// Calls `body` with each document's name and bytes, in a stable order (zip order, or sorted paths).
    public func forEach(_ body: (String, Data) throws -> Void) throws {
        switch kind {
        case .file:
            try body(path, try read(path))
        case .folder:
            for relative in try jsonFiles() { try body(relative, try read(path + "/" + relative)) }
        case .zip:
            let reader = try ArchiveReader(path: path, format: .zip)
            while let entry = try reader.nextEntry() {
                guard entry.kind == .regular, entry.rawPath.hasSuffix(".json") else {
                    try reader.skipData()
                    continue
                }
                let data = try reader.readAll(limit: 32 << 20, what: "\(path): \(entry.rawPath)")
                try body(entry.rawPath, data)
            }
        }
    }

    private func jsonFiles() throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw VulnerabilityError.io(path: path, reason: "cannot list the folder")
        }
        var files: [String] = []
        for case let relative as String in enumerator where relative.hasSuffix(".json") {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(relative)
            }
        }
        return files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func read(_ file: String) throws -> Data {
        do {
            return try FileSource(path: file).readAll(limit: 32 << 20, what: file)
        } catch {
            throw VulnerabilityError.io(path: file, reason: "\(error)")
        }
    }

    private static func startsWithZipMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        return head == Data([0x50, 0x4B, 0x03, 0x04]) || head == Data([0x50, 0x4B, 0x05, 0x06])
    }
}
