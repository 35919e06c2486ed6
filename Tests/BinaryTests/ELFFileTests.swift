import Binary
import Foundation
import TestSupport
import Testing

@Suite struct ELFFileTests {
    /// Compiles `source` with `arguments` and returns the program's path (kept in `dir`).
    static func compile(_ source: String, _ arguments: [String], in dir: TemporaryDirectory, name: String = "program") throws -> String {
        try source.write(toFile: dir("\(name).c"), atomically: true, encoding: .utf8)
        try Tool.check(["cc", "-O1", "-o", dir(name), dir("\(name).c")] + arguments)
        return dir(name)
    }

    static let zlibProgram = """
        #include <stdio.h>
        #include <zlib.h>
        int main(void) { printf("%s\\n", zlibVersion()); return 0; }
        """

    @Test func readsTheInterpreterAndNeededLibrariesOfAProgram() throws {
        let dir = try TemporaryDirectory("elf")
        let path = try Self.compile(Self.zlibProgram, ["-lz", "-Wl,-rpath,$ORIGIN/../lib"], in: dir)
        let elf = try ELFFile(path: path)
        #expect(elf.machine == 62)
        #expect(elf.bits == 64)
        #expect(elf.interpreter == "/lib64/ld-linux-x86-64.so.2")
        #expect(elf.needed.contains("libz.so.1"))
        #expect(elf.needed.contains("libc.so.6"))
        // Modern linkers write RUNPATH for -rpath; either way the entry is kept as written.
        #expect((elf.runpath + elf.rpath) == ["$ORIGIN/../lib"])
        // readelf, the reference, agrees on the needed libraries.
        let readelf = try Tool.check(["readelf", "-d", path])
        for soname in elf.needed { #expect(readelf.contains("Shared library: [\(soname)]")) }
    }

    @Test func aStaticProgramNeedsNothing() throws {
        let dir = try TemporaryDirectory("elf")
        let path = try Self.compile("int main(void) { return 0; }", ["-static"], in: dir)
        let elf = try ELFFile(path: path)
        #expect(elf.interpreter == nil)
        #expect(elf.needed.isEmpty)
    }

    @Test func aLibraryHasItsSoname() throws {
        let dir = try TemporaryDirectory("elf")
        let path = try Self.compile("int f(void) { return 1; }", ["-shared", "-fPIC", "-Wl,-soname,libf.so.1"], in: dir, name: "libf.so")
        let elf = try ELFFile(path: path)
        #expect(elf.soname == "libf.so.1")
        #expect(elf.interpreter == nil)
    }

    @Test(arguments: [("x86_64", UInt16(62)), ("aarch64", UInt16(183))])
    func readsTheMachineOfAWheelsSharedObject(_ machine: String, _ expected: UInt16) throws {
        let dir = try TemporaryDirectory("elf")
        let wheel = SharedTestData.path("pypi/files/PyYAML-6.0.2-cp311-cp311-manylinux_2_17_\(machine).manylinux2014_\(machine).whl")
        try Tool.check([
            "python3", "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[2], 'wb').write(z.read([n for n in z.namelist() if n.endswith('.so')][0]))",
            wheel, dir("yaml.so"),
        ])
        let elf = try ELFFile(path: dir("yaml.so"))
        #expect(elf.machine == expected)
        #expect(elf.needed.contains("libc.so.6"))
    }

    @Test func refusesWhatIsNotELFAndSurvivesGarbage() throws {
        let dir = try TemporaryDirectory("elf")
        try Data("#!/bin/sh\n".utf8).write(to: dir.path("script"))
        #expect(!ELFFile.isELF(path: dir("script")))
        #expect(throws: BinaryError.notELF(file: dir("script"))) { try ELFFile(path: dir("script")) }
        // A real header cut short, and headers pointing anywhere: errors, never a crash.
        let program = try Self.compile(Self.zlibProgram, ["-lz"], in: dir)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: program))
        try bytes.prefix(200).write(to: dir.path("cut"))
        #expect(throws: BinaryError.self) { try ELFFile(path: dir("cut")) }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            var garbage = Array(bytes.prefix(4096))
            for _ in 0..<16 { garbage[Int.random(in: 16..<garbage.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            try Data(garbage).write(to: dir.path("garbage"))
            _ = try? ELFFile(path: dir("garbage"), name: "garbage \(round)")
        }
    }
}

@Suite struct LibrarySearchTests {
    @Test func findsWhatTheLoaderFindsAndNamesTheRest() {
        let elf = ELFFile(
            machine: 62, bits: 64, interpreter: "/lib64/ld-linux-x86-64.so.2", needed: ["libz.so.1", "libc.so.6", "libbundled.so.2"],
            runpath: ["$ORIGIN/../app.libs"])
        let image: Set<String> = ["lib/x86_64-linux-gnu/libc.so.6", "lib64/ld-linux-x86-64.so.2", "opt/app.libs/libbundled.so.2"]
        let search = LibrarySearch(architecture: "amd64")
        let missing = search.missing(for: elf, at: "opt/bin/app", exists: image.contains)
        #expect(missing.interpreter == nil)
        #expect(missing.sonames == ["libz.so.1"])
        #expect(search.defaultPaths(of: "libz.so.1").contains("lib/x86_64-linux-gnu/libz.so.1"))
        let arm = LibrarySearch(architecture: "arm64").missing(for: elf, at: "opt/bin/app", exists: image.contains)
        #expect(arm.sonames == ["libz.so.1", "libc.so.6"])
        #expect(arm.interpreter == nil)
        let bare = LibrarySearch(architecture: "amd64").missing(for: elf, at: "opt/bin/app", exists: { _ in false })
        #expect(bare.interpreter == "lib64/ld-linux-x86-64.so.2")
    }
}

@Suite struct ELFFileCodableTests {
    @Test func roundTrips() throws {
        let elf = ELFFile(machine: 183, bits: 64, interpreter: "/lib/ld-linux-aarch64.so.1", needed: ["libc.so.6"], runpath: ["$ORIGIN"], soname: "libx.so.1")
        #expect(try JSONDecoder().decode(ELFFile.self, from: JSONEncoder().encode(elf)) == elf)
    }
}
