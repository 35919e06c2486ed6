/// Where the dynamic loader of a Debian image looks for a needed library, and what an ELF file lacks there.
///
/// Images have no `/etc/ld.so.cache` (nothing runs ldconfig), so glibc searches `DT_RPATH` (when there is no
/// `DT_RUNPATH`), then `DT_RUNPATH`, then its built-in directories: the multiarch ones, `/lib` and `/usr/lib`.
public struct LibrarySearch: Sendable {
    /// Debian's architecture (`amd64`).
    public let architecture: String

    public init(architecture: String) { self.architecture = architecture }

    /// The GNU triplet of the multiarch folders (`x86_64-linux-gnu`).
    public var triplet: String {
        switch architecture {
        case "amd64": return "x86_64-linux-gnu"
        case "arm64": return "aarch64-linux-gnu"
        case "i386": return "i386-linux-gnu"
        case "armhf": return "arm-linux-gnueabihf"
        case "armel": return "arm-linux-gnueabi"
        case "riscv64": return "riscv64-linux-gnu"
        case "ppc64el": return "powerpc64le-linux-gnu"
        case "s390x": return "s390x-linux-gnu"
        default: return architecture + "-linux-gnu"
        }
    }

    /// The loader's built-in folders, normalised (no leading `/`).
    public var defaultDirectories: [String] { ["lib/\(triplet)", "usr/lib/\(triplet)", "lib", "usr/lib"] }

    /// The paths where `soname` may be found by the default search (what a package must ship to provide it).
    public func defaultPaths(of soname: String) -> [String] { defaultDirectories.map { $0 + "/" + soname } }

    /// The folders searched for the needs of the file at `imagePath` (normalised), in the loader's order.
    public func directories(for elf: ELFFile, at imagePath: String) -> [String] {
        let origin = imagePath.split(separator: "/").dropLast().joined(separator: "/")
        let own = elf.runpath.isEmpty ? elf.rpath : elf.runpath
        var result: [String] = []
        for entry in own {
            let expanded = entry.replacingOccurrences(of: "${ORIGIN}", with: "/" + origin).replacingOccurrences(of: "$ORIGIN", with: "/" + origin)
                .replacingOccurrences(of: "${LIB}", with: "lib/\(triplet)").replacingOccurrences(of: "$LIB", with: "lib/\(triplet)")
            // A relative entry is relative to the process's working folder: unknowable, so skipped.
            guard expanded.hasPrefix("/"), let normalized = Self.normalize(expanded) else { continue }
            result.append(normalized)
        }
        return result + defaultDirectories
    }

    /// What the file at `imagePath` needs and the image lacks: its interpreter (a path) and sonames.
    /// `exists` answers whether a normalised path is a regular file of the image (links followed).
    public func missing(for elf: ELFFile, at imagePath: String, exists: (String) -> Bool) -> (interpreter: String?, sonames: [String]) {
        var interpreter: String?
        if let path = elf.interpreter, let normalized = Self.normalize(path), !exists(normalized) { interpreter = normalized }
        let folders = directories(for: elf, at: imagePath)
        var sonames: [String] = []
        for soname in elf.needed {
            if soname.contains("/") {
                if let normalized = Self.normalize(soname.hasPrefix("/") ? soname : imagePath + "/../" + soname), exists(normalized) { continue }
                sonames.append(soname)
                continue
            }
            if !folders.contains(where: { exists($0 + "/" + soname) }) { sonames.append(soname) }
        }
        return (interpreter, sonames)
    }

    /// `/usr/lib/../lib/x` → `usr/lib/x`; nil for the root itself.
    static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
