import Archive
import Foundation
import Testing
import TestSupport

/// Decompression bombs and duplicate entries: a layer that expands far past the unpack limit is refused at the
/// entry that crosses it, naming the limit and how to raise it, before its data is written; a path written twice
/// ends as its last entry says, in the extractor and the flattener alike, and never outside the root.
@Suite struct HostileInputTests {
    /// `count` zero bytes, streamed.
    final class Zeros: ByteSource {
        var remaining: Int
        init(_ count: Int) { remaining = count }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let n = min(buffer.count, remaining)
            buffer.baseAddress!.initializeMemory(as: UInt8.self, repeating: 0, count: n)
            remaining -= n
            return n
        }
    }

    /// A gzip layer holding `files` files of `size` zero bytes each (a bomb: it compresses about 1000 to 1).
    static func bomb(at path: String, files: Int, size: Int) throws -> String {
        let sink = try ParallelGzipSink(downstream: try FileSink(path: path), threads: 1)
        let tar = try TarWriter(sink: sink, name: path)
        for n in 0..<files {
            try tar.writeEntry(ArchiveEntry(rawPath: "zeros-\(n)", kind: .regular, permissions: 0o644, size: Int64(size)), from: Zeros(size))
        }
        try tar.finish()
        return path
    }

    @Test("a layer expanding far past the limit is refused at the crossing entry; nothing big is written", arguments: [false, true])
    func bombLayer(flatten: Bool) throws {
        let dir = try TemporaryDirectory("bomb")
        let layer = try Self.bomb(at: dir("bomb.tar.gz"), files: 4, size: 32 << 20)
        let compressed = try #require(try FileManager.default.attributesOfItem(atPath: layer)[.size] as? Int)
        #expect(compressed < 1 << 20, "the bomb is \(compressed) bytes compressed")
        let limit = UnpackLimit(bytes: 40 << 20)
        let error: ArchiveError? = #expect(throws: ArchiveError.self) {
            if flatten {
                try LayerFlattener(unpackLimit: limit).apply(layerAt: layer, name: "bomb layer")
            } else {
                let dest = dir("dest")
                try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
                let extractor = try LayerExtractor(destination: dest, options: .init(unpackLimit: limit))
                defer { _ = try? extractor.finish() }
                try extractor.apply(layerAt: layer, name: "bomb layer")
            }
        }
        guard case .unpackLimit(let archive, let entry, let named)? = error else { Issue.record("not the unpack limit: \(String(describing: error))"); return }
        #expect(archive == "bomb layer" && entry == "zeros-1" && named == "40 MiB (41943040 bytes)")
        #expect(error?.description.contains("DISTILL_UNPACK_LIMIT=") == true)
        if !flatten {
            let written = TemporaryDirectory.files(below: dir.path("dest")).reduce(0) { sum, file in
                sum + ((try? FileManager.default.attributesOfItem(atPath: dir("dest/" + file))[.size] as? Int) ?? 0)
            }
            #expect(written <= 32 << 20, "\(written) bytes written")
        }
    }

    @Test("an entry that declares a terabyte is refused from its header under the default limit", arguments: [false, true])
    func declaredTerabyte(flatten: Bool) throws {
        let dir = try TemporaryDirectory("terabyte")
        let layer = dir("terabyte.tar")
        try ForgedTar.regular(name: "huge", size: 1 << 40).write(to: URL(fileURLWithPath: layer))
        let error: ArchiveError? = #expect(throws: ArchiveError.self) {
            if flatten {
                try LayerFlattener(unpackLimit: .default).apply(layerAt: layer)
            } else {
                try FileManager.default.createDirectory(atPath: dir("dest"), withIntermediateDirectories: true)
                try LayerExtractor.extract(layers: [layer], into: dir("dest"), options: .init(unpackLimit: .default))
            }
        }
        #expect(error?.description.contains("past the limit of 16 GiB") == true, "\(String(describing: error))")
    }

    @Test("limit values: sizes with units, and a bad DISTILL_UNPACK_LIMIT is an error naming it")
    func limitValues() throws {
        #expect(UnpackLimit.parse("64G") == 64 << 30)
        #expect(UnpackLimit.parse("512m") == 512 << 20)
        #expect(UnpackLimit.parse("1000") == 1000)
        for bad in ["", "0", "-1", "1.5G", "G", "9999999999T", "12 parsecs"] { #expect(UnpackLimit.parse(bad) == nil, "\(bad)") }
        #expect(try UnpackLimit.current(environment: [:]) == .default)
        #expect(try UnpackLimit.current(environment: ["DISTILL_UNPACK_LIMIT": "2T"]).bytes == 2 << 40)
        #expect { try UnpackLimit.current(environment: ["DISTILL_UNPACK_LIMIT": "lots"]) } throws: { error in
            "\(error)".contains("DISTILL_UNPACK_LIMIT") && "\(error)".contains("'lots'")
        }
    }

    @Test("a path written twice in one layer ends as the last entry says, in the extractor and the flattener")
    func duplicateEntries() throws {
        let dir = try TemporaryDirectory("duplicates")
        let layer = try LayerBuilder(dir("dup.tar.gz"))
            .file("etc/motd", "first").file("etc/motd", "second, longer")
            .file("bin/tool", "a file").dir("bin/tool").file("bin/tool/inside", "x")
            .dir("lib").symlink("lib", to: "/").file("lib/escaped", "stays inside")
            .finish()
        let dest = dir("dest")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        try LayerExtractor.extract(layers: [layer], into: dest, options: .init(applyOwnership: false))
        #expect(try String(contentsOfFile: dest + "/etc/motd", encoding: .utf8) == "second, longer")
        #expect(try String(contentsOfFile: dest + "/bin/tool/inside", encoding: .utf8) == "x")
        // `lib` became a symlink to `/`: the file under it lands at the destination's root, never the host's.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dest + "/lib") == "/")
        #expect(try String(contentsOfFile: dest + "/escaped", encoding: .utf8) == "stays inside")
        #expect(!FileManager.default.fileExists(atPath: "/escaped"))

        let flat = try LayerFlattener.flatten(layers: [layer])
        let byPath = Dictionary(flat.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        #expect(flat.count == byPath.count, "a path listed twice: \(flat.map(\.path))")
        #expect(byPath["etc/motd"]?.size == Int64("second, longer".utf8.count))
        #expect(byPath["bin/tool"]?.kind == .directory && byPath["bin/tool/inside"] != nil)
        #expect(byPath["lib"]?.kind == .symlink(target: "/") && byPath["escaped"]?.size == Int64("stays inside".utf8.count))
    }
}
