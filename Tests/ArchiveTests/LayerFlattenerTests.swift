import Archive
import Foundation
import Testing
import TestSupport

@Suite("LayerFlattener")
struct LayerFlattenerTests {
    @Test("the flattened view of three layers matches the extracted tree, with wasted bytes counted")
    func matchesExtraction() throws {
        let dir = try TemporaryDirectory("flatten")
        let layers = try WhiteoutTests().threeLayers(in: dir)
        let flattener = LayerFlattener()
        for layer in layers { try flattener.apply(layerAt: layer) }
        let entries = flattener.entries()
        #expect(entries.map(\.path) == ["a", "a/y", "a/y2", "b", "b/late", "e", "e/sub", "e/sub/g", "g", "g/mine"])
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
        #expect(byPath["a/y"]?.layer == 0 && byPath["b/late"]?.layer == 2 && byPath["e/sub/g"]?.layer == 1)
        #expect(byPath["b/late"]?.size == 4 && byPath["b/late"]?.kind == .regular)
        // a/x, d, b/z, e/sub/f hidden by layer 2; c/keep, b/new, g/old by layer 3.
        #expect(flattener.wastedFiles == 7 && flattener.wastedBytes == 1 + 1 + 1 + 1 + 4 + 3 + 3)

        let dest = dir("rootfs")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        try LayerExtractor.extract(layers: layers, into: dest)
        #expect(listing(dest) == entries.map(\.path))
    }

    @Test("entries through symlinked directories land where extraction puts them; hard links carry their target's size")
    func symlinkedParents() throws {
        let dir = try TemporaryDirectory("flatten-links")
        let l1 = try LayerBuilder(dir("l1.tar.gz")).dir("usr").dir("usr/lib").symlink("lib", to: "usr/lib").symlink("etc", to: "/usr/etc").finish()
        let l2 = try LayerBuilder(dir("l2.tar.gz")).file("lib/libx.so", "12345").hardlink("lib/liby.so", to: "lib/libx.so")
            .file("etc/conf", "c").finish()
        let entries = try LayerFlattener.flatten(layers: [l1, l2])
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
        #expect(byPath["usr/lib/libx.so"]?.size == 5)
        #expect(byPath["usr/lib/liby.so"]?.kind == .hardlink(target: "usr/lib/libx.so") && byPath["usr/lib/liby.so"]?.size == 5)
        #expect(byPath["usr/etc/conf"] != nil && byPath["lib"]?.kind == .symlink(target: "usr/lib"))
        let dest = dir("rootfs")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        try LayerExtractor.extract(layers: [l1, l2], into: dest)
        #expect(listing(dest) == entries.map(\.path))
    }

    @Test("the flattener refuses what the extractor refuses")
    func refusals() throws {
        let dir = try TemporaryDirectory("flatten-bad")
        let escape = try LayerBuilder(dir("e.tar.gz")).symlink("up", to: "../..").file("up/x", "x").finish()
        #expect(throws: ArchiveError.symlinkEscape(archive: escape, entry: "up/x", link: "up", target: "../..")) {
            try LayerFlattener.flatten(layers: [escape])
        }
        let dotdot = try LayerBuilder(dir("d.tar.gz")).file("../x", "x").finish()
        #expect(throws: ArchiveError.unsafePath(archive: dotdot, entry: "../x")) { try LayerFlattener.flatten(layers: [dotdot]) }
        let link = try LayerBuilder(dir("h.tar.gz")).hardlink("x", to: "../../etc/passwd").finish()
        #expect(throws: ArchiveError.self) { try LayerFlattener.flatten(layers: [link]) }
    }

    @Test("a directory replaced in the middle of a layer is walked again: later entries follow the new symlink")
    func replacedParentWithinALayer() throws {
        let dir = try TemporaryDirectory("flatten-replaced")
        let layer = try LayerBuilder(dir("l.tar.gz")).dir("y").dir("x").file("x/f1", "1").file("x/f2", "2")
            .symlink("x", to: "y").file("x/f3", "3").file("x/f4", "4").finish()
        let entries = try LayerFlattener.flatten(layers: [layer])
        #expect(entries.map(\.path) == ["x", "y", "y/f3", "y/f4"])
        let dest = dir("rootfs")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        try LayerExtractor.extract(layers: [layer], into: dest)
        #expect(listing(dest) == entries.map(\.path))
    }

    @Test("a symlink to its own directory, replaced by a file through itself: the next entry through it is refused")
    func replacedSelfLink() throws {
        let dir = try TemporaryDirectory("flatten-selflink")
        // `d/s/s` names the link itself (d/s → d): the entries before and after it go through the same `d/s`, so the
        // directory remembered for `d/s` must be forgotten when the link is replaced.
        let layer = try LayerBuilder(dir("l.tar.gz")).dir("d").symlink("d/s", to: ".").file("d/s/a", "a").file("d/s/b", "b")
            .file("d/s/s", "now a file").file("d/s/c", "c").finish()
        #expect(throws: ArchiveError.self) { try LayerFlattener.flatten(layers: [layer]) }
        let dest = dir("rootfs")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try LayerExtractor.extract(layers: [layer], into: dest) }
    }
}
