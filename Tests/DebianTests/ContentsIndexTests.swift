import Debian
import Foundation
import TestSupport
import Testing

@Suite struct ContentsIndexTests {
    @Test func findsThePackagesThatShipALibrary() throws {
        let file = SharedTestData.path("debian-mirror/dists/bookworm/main/Contents-amd64.gz")
        let found = try ContentsIndex.packages(
            shipping: ["lib/x86_64-linux-gnu/libz.so.1", "usr/lib/x86_64-linux-gnu/libz.so.1", "usr/lib/x86_64-linux-gnu/libyaml-0.so.2",
                "usr/lib/x86_64-linux-gnu/libdistill-nothing.so.9"],
            file: file, name: "Contents-amd64.gz")
        #expect(found == ["lib/x86_64-linux-gnu/libz.so.1": ["zlib1g"], "usr/lib/x86_64-linux-gnu/libyaml-0.so.2": ["libyaml-0-2"]])
    }

    @Test func matchesWholePathsAcrossChunkBordersAndListsEveryPackage() throws {
        let dir = try TemporaryDirectory("contents")
        var text = ""
        for i in 0..<60_000 { text += "usr/share/doc/pkg\(i)/changelog.gz                    doc/pkg\(i)\n" }
        text += "usr/lib/x86_64-linux-gnu/libz.so.1.2.13                 libs/zlib1g\n"
        text += "usr/lib/x86_64-linux-gnu/libshared.so.1                 libs/one,libs/two\n"
        text += "usr/lib/other/libshared.so.1                            libs/three"
        try Data(text.utf8).write(to: dir.path("Contents"))
        try Tool.check(["gzip", "-9", dir("Contents")])
        let found = try ContentsIndex.packages(
            shipping: ["usr/lib/x86_64-linux-gnu/libshared.so.1", "usr/lib/x86_64-linux-gnu/libz.so.1", "usr/lib/other/libshared.so.1"],
            file: dir("Contents.gz"), name: "Contents.gz")
        #expect(found == ["usr/lib/x86_64-linux-gnu/libshared.so.1": ["one", "two"], "usr/lib/other/libshared.so.1": ["three"]])
    }
}
