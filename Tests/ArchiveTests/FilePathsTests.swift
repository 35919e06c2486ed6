import Archive
import Testing
import SystemSupport

@Test(arguments: [
    ("x", ".", "x"), ("ab", ".", "ab"), ("a/b", "a", "b"), ("a/b/", "a", "b"), ("/x", "/", "x"),
    ("./x", ".", "x"), ("a//b", "a", "b"), ("/", "/", "/"), ("/a/b/c", "/a/b", "c"),
])
func filePathsSplitLikeDirnameAndBasename(_ path: String, _ directory: String, _ name: String) {
    #expect(FilePaths.directory(of: path) == directory)
    #expect(FilePaths.name(of: path) == name)
}

@Test func temporaryPathBesideAOneCharacterRelativeName() {
    let temp = AtomicWrite.temporaryPath(beside: "x")
    #expect(temp.hasPrefix("./.x.tmp-"), "\(temp)")
    #expect(AtomicWrite.temporaryPath(beside: "/x").hasPrefix("/.x.tmp-"))
}
