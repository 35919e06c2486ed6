import Archive
import Foundation
import Testing
import TestSupport

@Suite("Whiteouts and opaque directories")
struct WhiteoutTests {
    /// Three layers exercising `.wh.` files, opaque directories and the same-layer rule.
    func threeLayers(in dir: TemporaryDirectory) throws -> [String] {
        let l1 = try LayerBuilder(dir("l1.tar.gz"))
            .dir("a").file("a/x", "x").file("a/y", "y")
            .dir("b").file("b/z", "z")
            .dir("c").file("c/keep", "keep")
            .file("d", "d")
            .dir("e").dir("e/sub").file("e/sub/f", "f")
            .dir("g").file("g/old", "old")
            .finish()
        let l2 = try LayerBuilder(dir("l2.tar.gz"))
            .file("a/.wh.x")
            .file(".wh.d")
            .dir("b").file("b/.wh..wh..opq").file("b/new", "new")
            .dir("e").file("e/.wh..wh..opq").dir("e/sub").file("e/sub/g", "g")
            .file(".wh..wh.plnk")
            .finish()
        // Same-layer rule, with the whiteouts written after what they name, as an unsorted tar may:
        // `g/mine` and `a/y2` survive; `b/new` from layer 2 is hidden by the late opaque marker.
        let l3 = try LayerBuilder(dir("l3.tar.gz"))
            .file(".wh.c")
            .file("a/y2", "y2").file("a/.wh.y2")
            .file("b/late", "late").file("b/.wh..wh..opq")
            .file("g/mine", "mine").file(".wh.g")
            .finish()
        return [l1, l2, l3]
    }

    @Test("three layers give the expected final tree, with no whiteout files")
    func threeLayerStack() throws {
        let dir = try TemporaryDirectory("whiteout")
        let layers = try threeLayers(in: dir)
        let dest = dir("rootfs")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        try LayerExtractor.extract(layers: layers, into: dest)
        #expect(listing(dest) == ["a", "a/y", "a/y2", "b", "b/late", "e", "e/sub", "e/sub/g", "g", "g/mine"])
        #expect(try String(contentsOfFile: dest + "/b/late", encoding: .utf8) == "late")
    }

    @Test("whiteout names parse")
    func parsing() {
        #expect(Whiteout(basename: ".wh.foo") == .remove(name: "foo"))
        #expect(Whiteout(basename: ".wh..wh..opq") == .opaque)
        #expect(Whiteout(basename: ".wh..wh.plnk") == .ignored)
        #expect(Whiteout(basename: ".wh.") == .ignored)
        #expect(Whiteout(basename: "wh.foo") == nil)
        #expect(Whiteout(basename: "foo") == nil)
    }
}
