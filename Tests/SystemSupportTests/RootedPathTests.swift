import SystemSupport
import Testing

/// The one path walk every image reader uses, over a small in-memory tree of directories and links.
@Suite struct RootedPathTests {
    /// `usr/lib/x` is a directory; `lib -> usr/lib`, `abs -> /usr`, `up -> ../..`, `loop -> loop`, `file` a file.
    static let links = ["lib": "usr/lib", "abs": "/usr", "usr/lib/up": "../..", "usr/lib/out": "../../..", "loop": "loop", "usr/back": "../lib"]
    static let directories: Set<String> = ["usr", "usr/lib", "usr/lib/x", "etc"]
    static let files: Set<String> = ["etc/passwd"]

    static func walk(_ path: String, followLast: Bool = true, escape: RootedPath.Escape = .refuse) throws -> String {
        let outcome = try RootedPath.walk(path.split(separator: "/").map(String.init), from: "", followLast: followLast, escape: escape) {
            _, _, components in
            let path = components.joined(separator: "/")
            if let target = links[path] { return .symlink(target) }
            if directories.contains(path) { return .directory(path) }
            return files.contains(path) ? .other : .missing
        }
        switch outcome {
        case .directory(let directory, let components):
            #expect(directory == components.joined(separator: "/"), "the cursor and the path agree")
            return "dir:" + directory
        case .stopped(_, let parent, let name, let found, let rest):
            let what: String
            switch found {
            case .missing: what = "missing"
            case .other: what = "other"
            case .symlink(let target): what = "link(\(target))"
            case .directory: what = "dir?"
            }
            return "\(what):" + (parent + [name]).joined(separator: "/") + (rest.isEmpty ? "" : " +" + rest.joined(separator: "/"))
        }
    }

    @Test(arguments: [
        ("lib/x", "dir:usr/lib/x"),
        ("abs/lib/x", "dir:usr/lib/x"),
        ("usr/lib/up/etc", "dir:etc"),
        ("usr/back/x", "dir:usr/lib/x"),
        ("./usr//lib/./x", "dir:usr/lib/x"),
        ("", "dir:"),
        ("etc/passwd", "other:etc/passwd"),
        ("etc/passwd/x", "other:etc/passwd +x"),
        ("usr/nothing/y", "missing:usr/nothing +y"),
    ])
    func resolvesInsideTheRoot(_ path: String, _ expected: String) throws {
        #expect(try Self.walk(path) == expected)
    }

    @Test func theLastLinkIsFollowedOnlyWhenAsked() throws {
        #expect(try Self.walk("lib", followLast: false) == "link(usr/lib):lib")
        #expect(try Self.walk("lib", followLast: true) == "dir:usr/lib")
        #expect(try Self.walk("lib/", followLast: false) == "link(usr/lib):lib", "a trailing slash names the same component")
    }

    @Test func climbingOutIsRefusedOrStaysAtTheRootAsAsked() throws {
        #expect(throws: RootedPath.Failure.escape(link: "usr/lib/out", target: "../../..")) { try Self.walk("usr/lib/out/etc") }
        #expect(try Self.walk("usr/lib/out/etc", escape: .stayAtRoot) == "dir:etc", "as /.. is / in the kernel")
    }

    @Test func aLinkLoopIsAnErrorNotAHang() throws {
        #expect(throws: RootedPath.Failure.tooManyLinks(path: "loop/x")) { try Self.walk("loop/x") }
    }

    @Test func lexicalResolutionFollowsKnownLinks() {
        let target: (String) -> String? = { Self.links[$0] }
        #expect(RootedPath.lexical("lib/libc.so.6", followLast: false, linkTarget: target) == "usr/lib/libc.so.6")
        #expect(RootedPath.lexical("lib", followLast: false, linkTarget: target) == "lib")
        #expect(RootedPath.lexical("lib", followLast: true, linkTarget: target) == "usr/lib")
        #expect(RootedPath.lexical("../../etc", followLast: true, linkTarget: target) == "etc")
        #expect(RootedPath.lexical("loop/x", followLast: true, linkTarget: target) == "loop/x", "a loop leaves the path as it is")
    }
}
