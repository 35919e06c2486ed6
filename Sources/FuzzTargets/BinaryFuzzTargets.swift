import Binary
import Foundation

/// ELF headers, as `build` reads them to find the libraries an image's binaries need.
enum BinaryFuzzTargets {
    static let all = [elf]

    /// An ELF file: class, byte order, program headers, PT_INTERP, the dynamic section and its strings.
    /// ``ELFFile`` reads a path by offset, so each input replaces one file in the scratch folder.
    static let elf = FuzzTarget(name: "elf", summary: "ELF headers: interpreter, DT_NEEDED, RUNPATH, SONAME", seeds: elfSeeds) { data in
        guard let path = FuzzScratch.write(data, as: FuzzScratch.threadName("elf")) else { return .rejected }
        return attempt {
            let file = try ELFFile(path: path, name: "fuzz.so")
            _ = ELFFile.machineName(file.machine)
        }
    }

    // MARK: seeds

    /// The compiled extensions of the frozen slice's wheels (x86_64 and aarch64) and a header with no segments.
    @Sendable static func elfSeeds(_ testData: URL) -> [FuzzSeed] {
        SeedFiles.memo("elf \(testData.path)") {
            var seeds: [FuzzSeed] = []
            let wheels = SeedFiles.files(testData, "pypi/files", limit: 4, maxSize: 64 << 10) { $0.hasSuffix(".whl") && $0.hasPrefix("markupsafe") }
            for wheel in wheels {
                for (member, data) in PythonPackagingFuzzTargets.zipMembers(wheel.data, name: wheel.name, wanted: { $0.hasSuffix(".so") }) {
                    seeds.append(FuzzSeed(wheel.name + "/" + member, data))
                }
            }
            // A 64-bit little-endian header alone: e_phnum 0.
            var header = [UInt8](repeating: 0, count: 64)
            header.replaceSubrange(0..<7, with: [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1])
            header[18] = 62
            header[52] = 64
            seeds.append(FuzzSeed("header-only", Data(header)))
            return seeds
        }
    }
}
