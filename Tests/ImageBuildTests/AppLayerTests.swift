import Archive
import Foundation
import TestSupport
import Testing

@testable import ImageBuild

/// The app layer over a small OS layer: merged /usr, a python3 link, /tmp 1777, a netbase file.
@Suite struct AppLayerTests {
    let dir: TemporaryDirectory
    let base: OSLayerIndex

    init() throws {
        dir = try TemporaryDirectory("app-layer")
        var tree = LayerTree()
        var owners: [String: String] = [:]
        func add(_ node: LayerNode, _ path: String, _ owner: String) {
            tree.insert(node, at: path)
            owners[path] = owner
        }
        add(.directory(), "usr/bin", "python3.11")
        add(.file(.bytes(Data("elf".utf8)), mode: 0o755), "usr/bin/python3.11", "python3.11")
        add(.symlink(to: "python3.11"), "usr/bin/python3", "the preset")
        add(.symlink(to: "usr/bin"), "bin", "base-files")
        add(.directory(), "usr/local/bin", "base-files")
        add(.directory(mode: 0o1777), "tmp", "the preset")
        add(.directory(mode: 0o755), "etc", "base-files")
        add(.file(.bytes(Data("http 80/tcp\n".utf8))), "etc/services", "netbase")
        base = OSLayerIndex(tree: tree, owners: owners)
        try Data("#!/app\n".utf8).write(to: URL(fileURLWithPath: dir("tool")))
        try FileManager.default.setAttributes([.posixPermissions: 0o775], ofItemAtPath: dir("tool"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir("notes.txt")))
        try FileManager.default.setAttributes([.posixPermissions: 0o664], ofItemAtPath: dir("notes.txt"))
        try FileManager.default.createDirectory(atPath: dir("conf/sub"), withIntermediateDirectories: true)
        try Data("k=v\n".utf8).write(to: URL(fileURLWithPath: dir("conf/sub/app.conf")))
        try FileManager.default.setAttributes([.posixPermissions: 0o664], ofItemAtPath: dir("conf/sub/app.conf"))
        try FileManager.default.setAttributes([.posixPermissions: 0o775], ofItemAtPath: dir("conf/sub"))
    }

    func tree(_ entries: [AppEntry], workdir: String? = nil) throws -> LayerTree {
        try AppLayer(base: base, buildFile: "distill.yaml").tree(entries, defaultOwner: (65532, 65532), workdir: workdir)
    }

    @Test func aTargetEndingInSlashPutsTheFileIntoThatFolder() throws {
        let tree = try tree([AppEntry(source: dir("tool"), target: "/usr/local/bin/")])
        #expect(tree["usr/local/bin/tool"]?.kind == .regular)
        #expect(tree["usr/local/bin"] == .directory(mode: 0o755, uid: 0, gid: 0), "the OS layer's folder, not replaced")
    }

    @Test func replacingAFolderThePackagesShipIsAnErrorNamingBoth() throws {
        #expect {
            try tree([AppEntry(source: dir("tool"), target: "/usr/bin")])
        } throws: { error in
            let text = "\(error)"
            return text.contains("app[0] (\(dir("tool")) → /usr/bin)") && text.contains("the folder /usr/bin that python3.11 ships")
                && text.contains("target: /usr/bin/")
        }
        #expect { try tree([AppEntry(source: dir("tool"), target: "/etc/services")]) } throws: {
            "\($0)".contains("would replace /etc/services that netbase ships")
        }
        #expect { try tree([AppEntry(source: dir("tool"), target: "/usr/bin/python3")]) } throws: {
            "\($0)".contains("the link /usr/bin/python3 → python3.11 that the preset ships")
        }
        #expect { try tree([AppEntry(source: dir("conf"), target: "/etc/services")]) } throws: { "\($0)".contains("/etc/services") }
        #expect { try tree([AppEntry(source: dir("tool"), target: "/etc/services/x")]) } throws: {
            "\($0)".contains("would turn /etc/services, which netbase ships as a file, into a folder")
        }
    }

    @Test func linkedFoldersAreFollowedAndSharedFoldersKeepTheirOwnerAndMode() throws {
        let tree = try tree([
            AppEntry(source: dir("tool"), target: "/bin/tool"),
            AppEntry(source: dir("notes.txt"), target: "/tmp/notes.txt"),
            AppEntry(source: dir("conf"), target: "/etc"),
        ])
        #expect(tree["usr/bin/tool"]?.kind == .regular)
        #expect(tree["bin"] == nil, "the bin → usr/bin link is left alone")
        #expect(tree["tmp"]?.permissions == 0o1777)
        #expect(tree["etc"] == .directory(mode: 0o755, uid: 0, gid: 0), "not handed to the app's owner")
        #expect(tree["etc/sub/app.conf"]?.uid == 65532)
    }

    @Test func modesAreNormalizedUnlessSet() throws {
        let tree = try tree([
            AppEntry(source: dir("tool"), target: "/app/tool"),
            AppEntry(source: dir("notes.txt"), target: "/app/notes.txt"),
            AppEntry(source: dir("conf"), target: "/app/conf"),
            AppEntry(source: dir("notes.txt"), target: "/app/secret", mode: 0o600),
        ])
        #expect(tree["app/tool"]?.permissions == 0o755)
        #expect(tree["app/notes.txt"]?.permissions == 0o644)
        #expect(tree["app/conf/sub"]?.permissions == 0o755)
        #expect(tree["app/conf/sub/app.conf"]?.permissions == 0o644)
        #expect(tree["app/secret"]?.permissions == 0o600)
    }

    @Test func aMissingSourceIsAnErrorAtItsLineAndColumn() throws {
        let entry = AppEntry(source: dir("nothing"), target: "/app/", location: SourceLocation(line: 7, column: 15))
        #expect { try tree([entry]) } throws: { "\($0)".hasPrefix("distill.yaml:7:15: app[0].source: \(dir("nothing")) does not exist") }
    }

    @Test func aWorkdirTheOSLayerHasIsLeftAsItIs() throws {
        #expect(try tree([], workdir: "/tmp").count == 0)
        #expect(try tree([], workdir: "/srv/app")["srv/app"] == .directory())
        #expect { try tree([], workdir: "/etc/services") } throws: { "\($0)".contains("workdir /etc/services") }
    }
}

@Test func osLayerIndexRoundTripsThroughJSON() throws {
    var tree = LayerTree()
    tree.insert(.symlink(to: "usr/bin"), at: "bin")
    tree.insert(.file(.bytes(Data()), mode: 0o4755), at: "usr/bin/su")
    let index = OSLayerIndex(tree: tree, owners: ["usr/bin/su": "login"])
    let data = try JSONEncoder().encode(index)
    #expect(try JSONDecoder().decode(OSLayerIndex.self, from: data) == index)
    #expect(index["usr/bin/su"]?.from == "login")
    #expect(index["usr"]?.from == "the OS layer")
    #expect(index.resolve("bin/su", followLast: false) == "usr/bin/su")
}
