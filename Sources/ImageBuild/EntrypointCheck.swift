import Archive
import Foundation
import SystemSupport

/// The image must be able to start: the entrypoint (or cmd) program exists in it and is executable, and so is
/// the interpreter its `#!` line names — checked per architecture, before anything is written.
struct EntrypointCheck {
    let files: ImageFiles
    /// `#!` interpreters by normalised path, for the files whose content is known (app files, wheel scripts).
    let shebangs: [String: String]
    let architecture: String
    let buildFile: String

    /// Throws when the program `build` starts with is missing or not executable in this architecture's image.
    func check(_ build: BuildFile) throws {
        guard let program = (build.entrypoint ?? build.cmd)?.first else { return }
        let what = build.entrypoint != nil ? "entrypoint" : "cmd"
        let path = try locate(program, what: what, build: build)
        if let interpreter = shebangs[path] {
            let interpreterPath = try locate(interpreter, what: "the #! interpreter of /\(path) (\(what))", build: build, searchPath: false)
            if shebangs[interpreterPath] != nil {
                throw BuildError.entrypoint("\(buildFile): /\(path) names /\(interpreterPath) after #!, which is itself a script; the kernel runs only a binary there")
            }
        }
    }

    /// The normalised, link-resolved path of an executable regular file, or an error saying what is wrong.
    private func locate(_ program: String, what: String, build: BuildFile, searchPath: Bool = true) throws -> String {
        var candidates: [String] = []
        if program.hasPrefix("/") {
            candidates = [program]
        } else if program.contains("/") {
            candidates = [(build.workdir ?? ImageConfigBuilder.defaultWorkdir(build)) + "/" + program]
        } else if searchPath {
            let path = build.env["PATH"] ?? Preset.path
            candidates = path.split(separator: ":").map { $0 + "/" + program }
        } else {
            candidates = [program]
        }
        for candidate in candidates {
            guard let normalized = try? ArchivePath.normalize(candidate, archive: "entrypoint") else { continue }
            let resolved = files.index.resolve(normalized, followLast: true)
            guard let entry = files.index[resolved] else { continue }
            guard entry.kind == "file" else {
                throw BuildError.entrypoint("\(buildFile): the \(what) \(program) is \(entry.kind == "dir" ? "a folder" : "not a regular file") in the \(architecture) image")
            }
            guard entry.mode & 0o111 != 0 else {
                throw BuildError.entrypoint(
                    "\(buildFile): the \(what) \(program) is not executable in the \(architecture) image (mode \(String(entry.mode, radix: 8))); "
                        + "give the app entry `mode: 0755`")
            }
            return resolved
        }
        let searched = candidates.count > 1 ? " (searched PATH: \(candidates.map { FilePaths.directory(of: $0) }.joined(separator: ":")))" : ""
        throw BuildError.entrypoint("\(buildFile): the \(what) \(program) does not exist in the \(architecture) image\(searched); add it under app: or packages:")
    }

    /// The interpreter a `#!` line names, for content that starts with one.
    static func interpreter(of content: FileContent) -> String? {
        guard let source = try? content.open() else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = (try? buffer.withUnsafeMutableBytes { try source.read(into: $0) }) ?? 0
        guard count > 2, buffer[0] == 0x23, buffer[1] == 0x21 else { return nil }
        let line = buffer[2..<count].prefix { $0 != 0x0A && $0 != 0x0D }
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" })
        return words.first.map(String.init)
    }
}
