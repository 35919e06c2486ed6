import Archive
import Foundation
import Testing
import TestSupport

/// Layers that try to write outside the destination: each is refused with an error naming the
/// layer and the entry, and nothing appears beside the destination.
@Suite("Hostile layers")
struct HostileLayerTests {
    /// A sandbox holding only `dest`; after extraction it must still hold only `dest`.
    final class Sandbox {
        let dir: TemporaryDirectory
        let dest: String
        init() throws {
            dir = try TemporaryDirectory("hostile")
            dest = dir("sandbox/dest")
            try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        }
        func layer(_ name: String, gzip: Bool = true) throws -> LayerBuilder { try LayerBuilder(dir(name), gzip: gzip) }
        /// Everything beside the destination (must stay empty).
        var outside: [String] { listing(dir("sandbox")).filter { $0 != "dest" && !$0.hasPrefix("dest/") } }
    }

    /// Extracts and returns the error; fails the test if extraction succeeded.
    func refusal(_ layers: [String], into dest: String, options: LayerExtractor.Options = .init()) -> ArchiveError? {
        do {
            try LayerExtractor.extract(layers: layers, into: dest, options: options)
            Issue.record("extraction of \(layers) succeeded")
            return nil
        } catch let error as ArchiveError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("an entry climbing out with .. is refused", arguments: ["../escape", "a/../../escape", "./../escape", "a/../b"])
    func dotDot(_ name: String) throws {
        let box = try Sandbox()
        let layer = try box.layer("l.tar.gz").dir("a").file(name, "pwned").finish()
        let error = refusal([layer], into: box.dest)
        #expect(error == .unsafePath(archive: layer, entry: name))
        #expect(error?.description.contains(name) == true)
        #expect(box.outside.isEmpty)
    }

    @Test("an absolute entry is refused by default and taken as relative when allowed")
    func absolute() throws {
        let box = try Sandbox()
        let layer = try box.layer("l.tar.gz").file("/abs/path", "x").finish()
        #expect(refusal([layer], into: box.dest) == .unsafePath(archive: layer, entry: "/abs/path"))
        try LayerExtractor.extract(layers: [layer], into: box.dest, options: .init(allowAbsolutePaths: true))
        #expect(FileManager.default.fileExists(atPath: box.dest + "/abs/path"))
        #expect(!FileManager.default.fileExists(atPath: "/abs/path"))
        #expect(box.outside.isEmpty)
    }

    @Test("a path through a symlink that climbs above the root is refused")
    func symlinkClimbsOut() throws {
        let box = try Sandbox()
        let layer = try box.layer("l.tar.gz").symlink("link", to: "../../..").file("link/file", "pwned").finish()
        let error = refusal([layer], into: box.dest)
        #expect(error == .symlinkEscape(archive: layer, entry: "link/file", link: "link", target: "../../.."))
        #expect(box.outside.isEmpty)
    }

    @Test("the escaping symlink may come from a lower layer, and hide behind another symlink")
    func symlinkChainAcrossLayers() throws {
        let box = try Sandbox()
        let lower = try box.layer("l1.tar.gz").dir("d").symlink("d/up", to: "..").symlink("hop", to: "d/up/d/up/..").finish()
        let upper = try box.layer("l2.tar.gz").file("hop/escape", "pwned").finish()
        let error = refusal([lower, upper], into: box.dest)
        guard case .symlinkEscape(let archive, let entry, _, _)? = error else {
            Issue.record("expected a symlink escape, got \(String(describing: error))")
            return
        }
        #expect(archive == upper && entry == "hop/escape")
        #expect(box.outside.isEmpty)
    }

    @Test("an absolute symlink resolves inside the destination; the host file is untouched")
    func absoluteSymlinkStaysInside() throws {
        let box = try Sandbox()
        // The content is the host's own passwd, so even a regression could not damage the machine;
        // the inode and mtime checks below would still catch it.
        let hostPasswd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
        var before = stat()
        stat("/etc/passwd", &before)
        let hostDigest = try sha256(ofFile: "/etc/passwd")
        let layer = try box.layer("l.tar.gz").symlink("link", to: "/etc").file("link/passwd", hostPasswd).finish()
        try LayerExtractor.extract(layers: [layer], into: box.dest)
        var after = stat()
        stat("/etc/passwd", &after)
        #expect(after.st_ino == before.st_ino && after.st_mtim.tv_sec == before.st_mtim.tv_sec)
        #expect(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
        #expect(try sha256(ofFile: "/etc/passwd") == hostDigest)
        #expect(FileManager.default.fileExists(atPath: box.dest + "/etc/passwd"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: box.dest + "/link") == "/etc")
        #expect(box.outside.isEmpty)
    }

    @Test("an absolute symlink to a real host directory does not write there")
    func absoluteSymlinkToHostDirectory() throws {
        let box = try Sandbox()
        let canary = box.dir("canary")
        try FileManager.default.createDirectory(atPath: canary, withIntermediateDirectories: true)
        let layer = try box.layer("l.tar.gz").symlink("link", to: canary).file("link/planted", "pwned").finish()
        try LayerExtractor.extract(layers: [layer], into: box.dest)
        #expect(listing(canary).isEmpty)
        #expect(FileManager.default.fileExists(atPath: box.dest + canary + "/planted"))
        #expect(box.outside.isEmpty)
    }

    @Test("a hard link to a file outside is refused", arguments: ["../../etc/passwd", "/etc/passwd", "a/../../../etc/passwd"])
    func hardlinkOut(_ target: String) throws {
        let box = try Sandbox()
        let layer = try box.layer("l.tar.gz").dir("a").hardlink("a/passwd", to: target).finish()
        let error = refusal([layer], into: box.dest)
        guard case .badHardlink(let archive, let entry, let linkTarget, _)? = error else {
            Issue.record("expected a bad hard link, got \(String(describing: error))")
            return
        }
        #expect(archive == layer && entry == "a/passwd" && linkTarget == target)
        #expect(box.outside.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: box.dest + "/a/passwd"))
    }

    @Test("a hard link through an escaping symlink is refused")
    func hardlinkThroughSymlink() throws {
        let box = try Sandbox()
        let layer = try box.layer("l.tar.gz").symlink("up", to: "../..").hardlink("stolen", to: "up/etc/passwd").finish()
        let error = refusal([layer], into: box.dest)
        #expect(error == .symlinkEscape(archive: layer, entry: "stolen", link: "up", target: "../.."))
        #expect(box.outside.isEmpty)
    }

    @Test("a hard link to a missing file or a directory is refused")
    func hardlinkToNothing() throws {
        let box = try Sandbox()
        let missing = try box.layer("l1.tar.gz").hardlink("x", to: "nowhere").finish()
        #expect(refusal([missing], into: box.dest).map { if case .badHardlink = $0 { true } else { false } } == true)
        let toDir = try box.layer("l2.tar.gz").dir("d").hardlink("x", to: "d").finish()
        #expect(refusal([toDir], into: box.dest).map { if case .badHardlink = $0 { true } else { false } } == true)
    }

    @Test("a symlink loop is refused, not followed forever")
    func loop() throws {
        let box = try Sandbox()
        let layer = try box.layer("l.tar.gz").symlink("a", to: "b").symlink("b", to: "a").file("a/x", "x").finish()
        #expect(refusal([layer], into: box.dest) == .symlinkLoop(archive: layer, entry: "a/x"))
    }

    @Test("a truncated gzip layer is an error naming the layer")
    func truncated() throws {
        let box = try Sandbox()
        let content = String(decoding: sampleBytes(3 << 20, seed: 5), as: UTF8.self)
        let layer = try box.layer("l.tar.gz").dir("d").file("d/big", content).file("d/after", "x").finish()
        let data = try Data(contentsOf: URL(fileURLWithPath: layer))
        for cut in [data.count / 2, data.count - 12, 20] {
            let truncated = box.dir("cut-\(cut).tar.gz")
            try data.prefix(cut).write(to: URL(fileURLWithPath: truncated))
            let dest = box.dir("sandbox/dest-\(cut)")
            try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
            guard case .malformed(let archive, _)? = refusal([truncated], into: dest) else {
                Issue.record("cut at \(cut): expected malformed")
                continue
            }
            #expect(archive == truncated)
        }
    }

    @Test("a blob that is not a layer is refused", arguments: ["not a tar at all, just text\n", ""])
    func garbage(_ text: String) throws {
        let box = try Sandbox()
        let blob = box.dir("blob")
        try Data(text.utf8).write(to: URL(fileURLWithPath: blob))
        guard case .malformed(let archive, _)? = refusal([blob], into: box.dest) else {
            Issue.record("expected malformed")
            return
        }
        #expect(archive == blob)
        #expect(box.outside.isEmpty)
    }

    @Test("device nodes are skipped with a note")
    func devices() throws {
        let box = try Sandbox()
        let layer = try box.layer("l.tar.gz").dir("dev")
            .entry(ArchiveEntry(rawPath: "dev/null", kind: .characterDevice(major: 1, minor: 3), permissions: 0o666))
            .entry(ArchiveEntry(rawPath: "dev/sda", kind: .blockDevice(major: 8, minor: 0), permissions: 0o660))
            .finish()
        let report = try LayerExtractor.extract(layers: [layer], into: box.dest)
        #expect(listing(box.dest) == ["dev"])
        #expect(report.notes.count == 2)
        #expect(report.notes.first?.contains("dev/null") == true)
    }

    @Test("an empty layer (only the end-of-archive marker) is accepted", arguments: [true, false])
    func emptyLayer(gzip: Bool) throws {
        let box = try Sandbox()
        let layer = try box.layer("empty.tar", gzip: gzip).finish()
        let report = try LayerExtractor.extract(layers: [layer], into: box.dest)
        #expect(report.entries == 0 && listing(box.dest).isEmpty)
    }
}
