import Archive
import Binary
import Debian
import Foundation

/// The native side of an image: every ELF file the app and the wheels add must be for the image's machine, and
/// find its interpreter and libraries where the loader looks in that image. What is missing is looked up in the
/// suite's Contents index, and the package that ships it is added.
struct NativeLibraries {
    let architecture: String
    let buildFile: String

    /// One library (or interpreter) a file needs and the image lacks.
    struct Need: Sendable, Equatable {
        /// The image path of the file that needs it (`/app/hello`).
        var file: String
        /// The soname or interpreter path.
        var library: String
        /// Where a package must put it for the loader to find it (normalised paths).
        var paths: [String]
    }

    /// Thrown by the build when something is missing, so it can add packages (a fresh resolution) or say what to do.
    struct Missing: Error, CustomStringConvertible {
        var architecture: String
        var needs: [Need]

        var description: String {
            let list = needs.prefix(4).map { "\($0.file) needs \($0.library)" }.joined(separator: ", ")
            return "\(architecture): \(list)\(needs.count > 4 ? ", …" : ""), which the image lacks; run `distill build --update-lock` "
                + "to add the packages that ship them (the lock pins the package set)"
        }
    }

    /// The ELF files among the regular files of `tree` whose bytes are on disk, with their headers.
    static func elfFiles(in tree: LayerTree) throws -> [String: ELFFile] {
        var result: [String: ELFFile] = [:]
        for (path, node) in tree.nodes where node.kind == .regular {
            guard case .file(let source, _)? = node.content, ELFFile.isELF(path: source) else { continue }
            result[path] = try ELFFile(path: source, name: "/" + path)
        }
        return result
    }

    /// Refuses a file for another machine; returns what the files need and `exists` (a normalised path is a file
    /// of the image, links followed) says the image lacks.
    func check(_ files: [String: ELFFile], exists: (String) -> Bool) throws -> [Need] {
        let search = LibrarySearch(architecture: architecture)
        let machine = ELFFile.machines[architecture]
        var needs: [Need] = []
        for path in files.keys.sorted() {
            guard let elf = files[path] else { continue }
            if let machine, elf.machine != machine || elf.bits != 64 {
                throw BuildError.nativeLibraries(
                    "\(buildFile): /\(path) is a \(elf.bits)-bit ELF file for \(ELFFile.machineName(elf.machine)), not for \(architecture) "
                        + "(\(ELFFile.machineName(machine))); ship the \(architecture) build of it (a per-architecture source such as dist/{arch}/)")
            }
            let missing = search.missing(for: elf, at: path, exists: exists)
            if let interpreter = missing.interpreter {
                needs.append(Need(file: "/" + path, library: "/" + interpreter, paths: [interpreter]))
            }
            for soname in missing.sonames {
                let paths = soname.contains("/") ? [String(soname.drop { $0 == "/" })] : search.defaultPaths(of: soname)
                needs.append(Need(file: "/" + path, library: soname, paths: paths))
            }
        }
        return needs
    }

    /// The packages that ship what `needs` asks for, from the suites' verified Contents indexes; a library no
    /// package ships is an error naming the file that needs it.
    func packages(for needs: [Need], repository: DebianRepository) async throws -> [NativeAddition] {
        let wanted = Set(needs.flatMap(\.paths))
        var shipping: [String: [String]] = [:]
        let files = try await repository.contentsFiles(architecture: architecture)
        if files.isEmpty {
            throw BuildError.nativeLibraries(
                "\(buildFile): \(needs[0].file) needs \(needs[0].library), and the suites list no Contents-\(architecture) index to find its package in; "
                    + "add the package under packages:")
        }
        for file in files {
            for (path, packages) in try ContentsIndex.packages(shipping: wanted, file: file.path, name: file.url) {
                shipping[path, default: []] += packages.filter { !shipping[path, default: []].contains($0) }
            }
        }
        var additions: [NativeAddition] = []
        for need in needs {
            guard let package = need.paths.lazy.compactMap({ shipping[$0]?.sorted().first }).first else {
                throw BuildError.nativeLibraries(
                    "\(buildFile): \(need.file) needs \(need.library), which no package of \(repository.sources.suites.map(\.name).joined(separator: ", ")) "
                        + "ships for \(architecture); put the library in the app (found through a RUNPATH of $ORIGIN) or link it statically")
            }
            additions.append(NativeAddition(package: package, library: need.library, file: need.file))
        }
        return additions
    }
}

/// One view of an image's files across its layers (OS, then wheels, then app), links followed as the loader does.
struct ImageFiles {
    var index: OSLayerIndex

    /// The OS layer's index with the later layers' trees laid over it.
    init(base: OSLayerIndex, layers: [LayerTree]) {
        var merged = base
        for tree in layers {
            for (path, entry) in OSLayerIndex(tree: tree, owners: [:]).entries { merged.entries[path] = entry }
        }
        index = merged
    }

    /// The OS layer's index with another layer's index laid over it.
    init(base: OSLayerIndex, index: OSLayerIndex) {
        var merged = base
        for (path, entry) in index.entries { merged.entries[path] = entry }
        self.index = merged
    }

    /// Whether `path` (normalised) is a regular file, following links.
    func isFile(_ path: String) -> Bool {
        index[index.resolve(path, followLast: true)]?.kind == "file"
    }
}
