import Archive
import Debian
import Foundation
import ImageFormat

#if canImport(Glibc)
    import Glibc
#endif

/// The tar and ar readers (libarchive behind ``ArchiveReader``), gzip inflate, layer flattening and .deb extraction.
enum ArchiveFuzzTargets {
    static let all = [tar, gzip, ar, deb]

    /// A gzip stream through ``GzipInflateSource``, with and without its CRC check, in pieces of 1 to 16 bytes or
    /// lent: what the checked read accepts the unchecked one gives byte for byte, and so does libarchive's gzip filter
    /// (an independent inflater) when it accepts the stream too.
    static let gzip = FuzzTarget(name: "gzip", summary: "gzip streams: headers, members, trailers (GzipInflateSource)", seeds: gzipSeeds) { data in
        guard let control = data.first else { return .rejected }
        let stream = Data(data.dropFirst())
        let piece = Int(control & 0x0F) + 1
        func inflate(verifying: Bool) -> Data? {
            let inner: ByteSource =
                control & 0x10 != 0 ? PrefetchingSource(DataSource(stream), chunkSize: piece, depth: 2) : DataSource(stream, piece: piece)
            return try? GzipInflateSource(inner, name: "fuzz.gz", verifyingChecksums: verifying).readAll(limit: 1 << 24, what: "fuzz.gz")
        }
        guard let checked = inflate(verifying: true) else {
            _ = inflate(verifying: false)
            return .rejected
        }
        return attempt {
            try require(inflate(verifying: false) == checked, "the unchecked inflate differs from the checked one")
            if let reader = try? ArchiveReader(source: DataSource(stream), format: .raw, name: "fuzz.gz"), (try? reader.nextEntry()) != nil,
                let other = try? reader.readAll(limit: 1 << 24, what: "fuzz.gz")
            {
                try require(other == checked, "libarchive inflates \(other.count) bytes, ISA-L \(checked.count)")
            }
        }
    }

    /// A layer tar (any compression): every entry read with its data, then flattened as an image's layer.
    static let tar = FuzzTarget(name: "tar", summary: "tar layers: entries, paths, whiteouts, links (LayerFlattener)", seeds: tarSeeds) { data in
        attempt {
            let reader = try ArchiveReader(source: DataSource(data), format: .tar, name: "fuzz")
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
            defer { buffer.deallocate() }
            while let entry = try reader.nextEntry() {
                _ = try? ArchivePath.normalize(entry.rawPath, archive: "fuzz", allowAbsolute: false)
                while try reader.read(into: buffer) > 0 {}
            }
            let flattener = LayerFlattener()
            try flattener.apply(DataSource(data), name: "fuzz")
            _ = flattener.entries()
        }
    }

    /// An ar archive (the outer format of a .deb): members and their data.
    static let ar = FuzzTarget(name: "ar", summary: "ar archives (the outside of a .deb)", seeds: debSeeds) { data in
        attempt {
            let reader = try ArchiveReader(source: DataSource(data), format: .ar, name: "fuzz")
            while let member = try reader.nextEntry() {
                _ = member.rawPath
                _ = try reader.readAll(limit: 1 << 24, what: "fuzz member")
            }
        }
    }

    /// A whole .deb: ar, control.tar, data.tar, the control file. The extractor reads a path, so each input
    /// replaces one file in the scratch folder; staged files (only those over the memory budget) are removed after.
    static let deb = FuzzTarget(name: "deb", summary: ".deb packages unpacked by DebExtractor", seeds: debSeeds) { data in
        let name = FuzzScratch.threadName("deb")
        guard let file = FuzzScratch.write(data, as: name + ".deb") else { return .rejected }
        let staging = FuzzScratch.folder + "/" + name + "-staging"
        defer { if access(staging, F_OK) == 0 { try? FileManager.default.removeItem(atPath: staging) } }
        return attempt {
            let contents = try DebExtractor(memoryBudget: MemoryBudget(bytes: 1 << 20), unpackLimit: UnpackLimit(bytes: 256 << 20))
                .extract(deb: file, name: "fuzz.deb", into: URL(fileURLWithPath: staging))
            _ = contents.statusEntries
        }
    }

    // MARK: seeds

    /// The gzip layer among the tar seeds, after a control byte (piece size, lending): once in 7-byte pieces, and
    /// twice over (two members) in lent 4-byte chunks.
    @Sendable static func gzipSeeds(_ testData: URL) -> [FuzzSeed] {
        tarSeeds(testData).filter { $0.data.starts(with: [0x1F, 0x8B]) }.flatMap { seed in
            [FuzzSeed(seed.name + "-pieces", Data([0x06]) + seed.data), FuzzSeed(seed.name + "-lent", Data([0x13]) + seed.data + seed.data)]
        }
    }

    /// Small real packages from the frozen mirror.
    @Sendable static func debSeeds(_ testData: URL) -> [FuzzSeed] {
        SeedFiles.files(testData, "debian-mirror/pool", limit: 6, maxSize: 48 << 10) { $0.hasSuffix(".deb") }
    }

    /// Plain and gzip layers written by ``LayerWriter`` (every entry kind, a whiteout), and the control.tar of real packages.
    @Sendable static func tarSeeds(_ testData: URL) -> [FuzzSeed] {
        var seeds: [FuzzSeed] = []
        var tree = LayerTree()
        tree.insert(.directory(), at: "etc")
        tree.insert(.file(.bytes(Data("hello\n".utf8)), mode: 0o4755), at: "etc/hostname")
        tree.insert(.symlink(to: "../etc/hostname"), at: "usr/hostname")
        tree.insert(LayerNode(kind: .hardlink(target: "etc/hostname"), permissions: 0o644), at: "etc/hostname.bak")
        tree.insert(.file(.bytes(Data())), at: "var/.wh.gone")
        tree.insert(.file(.bytes(Data())), at: "opt/.wh..wh..opq")
        tree.insert(LayerNode(kind: .fifo, permissions: 0o600), at: "run/pipe")
        for (name, compression) in [("plain", LayerCompression.none), ("gzip", .gzip)] {
            let path = FuzzScratch.folder + "/" + FuzzScratch.threadName("seed-\(name)") + ".tar"
            if (try? LayerWriter(compression: compression, threads: 1).write(tree, to: path)) != nil, let data = FileManager.default.contents(atPath: path) {
                seeds.append(FuzzSeed("layer-\(name)", data))
            }
            unlink(path)
        }
        for deb in debSeeds(testData).prefix(3) {
            guard let outer = try? ArchiveReader(source: DataSource(deb.data), format: .ar, name: deb.name) else { continue }
            while let member = try? outer.nextEntry() {
                guard member.rawPath.hasPrefix("control.tar"),
                    let raw = try? ArchiveReader(source: outer, format: .raw, name: member.rawPath), (try? raw.nextEntry()) != nil,
                    let tar = try? raw.readAll(limit: 1 << 20, what: member.rawPath)
                else { continue }
                seeds.append(FuzzSeed(deb.name + "-control.tar", tar))
                break
            }
        }
        return seeds
    }
}
