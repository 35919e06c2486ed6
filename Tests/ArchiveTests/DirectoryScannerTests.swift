import Archive
import Foundation
import Testing
import TestSupport

@Suite("DirectoryScanner")
struct DirectoryScannerTests {
    func sampleTree(_ dir: TemporaryDirectory) throws -> String {
        let root = dir("app")
        try writeFile(root + "/run.sh", Array("#!/bin/sh\n".utf8), mode: 0o750)
        try writeFile(root + "/lib/data.txt", Array("data".utf8), mode: 0o600)
        try writeFile(root + "/bin/setuid", Array("x".utf8), mode: 0o4755)
        link(root + "/lib/data.txt", root + "/lib/again.txt")
        symlink("/usr/share", root + "/share")
        symlink(dir.path, root + "/outside")
        chmod(root + "/lib", 0o750)
        return root
    }

    @Test("lstat walk: symlinks kept and not followed, hard links found, modes and sizes kept")
    func keepsWhatIsOnDisk() throws {
        let dir = try TemporaryDirectory("scan")
        let root = try sampleTree(dir)
        let tree = try DirectoryScanner().scan(root)
        #expect(tree.sortedPaths() == ["bin", "bin/setuid", "lib", "lib/again.txt", "lib/data.txt", "outside", "run.sh", "share"])
        #expect(tree["share"]?.kind == .symlink(target: "/usr/share"))
        #expect(tree["outside"]?.kind == .symlink(target: dir.path))
        #expect(tree["lib/data.txt"]?.kind == .hardlink(target: "lib/again.txt"))
        #expect(tree["lib/again.txt"]?.content == .file(path: root + "/lib/again.txt", size: 4))
        #expect(tree["bin/setuid"]?.permissions == 0o4755)
        #expect(tree["lib"]?.permissions == 0o750)
        #expect(tree["run.sh"]?.uid == Int64(geteuid()))
    }

    @Test("owner and mode overrides, and a target prefix")
    func overrides() throws {
        let dir = try TemporaryDirectory("scan-opt")
        let root = try sampleTree(dir)
        var tree = LayerTree()
        tree.insert(.file(.bytes(Data("keep".utf8))), at: "etc/keep")
        let report = try DirectoryScanner(uid: 65532, gid: 65533, modes: .normalized).add(root, to: &tree, at: "/srv/app/")
        #expect(tree["etc/keep"] != nil)
        #expect(tree["srv"]?.kind == .directory && tree["srv/app"]?.kind == .directory)
        #expect(tree["srv/app/run.sh"]?.permissions == 0o755 && tree["srv/app/lib/data.txt"]?.kind == .hardlink(target: "srv/app/lib/again.txt"))
        #expect(tree["srv/app/lib/again.txt"]?.permissions == 0o644 && tree["srv/app/bin/setuid"]?.permissions == 0o755)
        #expect(tree["srv/app/lib"]?.uid == 65532 && tree["srv/app/lib"]?.gid == 65533 && tree["srv/app"]?.uid == 65532)
        #expect(report.entries == 9 && report.bytes == 4 + 10 + 1)
        let fixed = try DirectoryScanner(modes: .fixed(file: 0o640, executable: 0o750, directory: 0o710)).scan(root)
        #expect(fixed["run.sh"]?.permissions == 0o750 && fixed["lib/again.txt"]?.permissions == 0o640 && fixed["lib"]?.permissions == 0o710)
    }

    @Test("sockets are skipped with a note; fifos are kept")
    func sockets() throws {
        let dir = try TemporaryDirectory("scan-sock")
        let root = dir("r")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Tool.check(["python3", "-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", root + "/app.sock"])
        mkfifo(root + "/pipe", 0o644)
        var tree = LayerTree()
        let report = try DirectoryScanner().add(root, to: &tree, at: "")
        #expect(tree.sortedPaths() == ["pipe"])
        #expect(tree["pipe"]?.kind == .fifo)
        #expect(report.notes == ["app.sock: socket skipped (a tar layer cannot hold one)"])
    }

    @Test("a name that is not UTF-8 is an error naming the directory")
    func nonUTF8() throws {
        let dir = try TemporaryDirectory("scan-utf8")
        let root = dir("r")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Tool.check(["python3", "-c", "import os,sys; open(os.path.join(sys.argv[1].encode(), b'bad\\xff'), 'w')", root])
        #expect(throws: ArchiveError.self) { try DirectoryScanner().scan(root) }
    }

    @Test("a missing directory is an error naming it")
    func missing() {
        #expect(throws: ArchiveError.readFailed(path: "/nonexistent-distill", reason: "No such file or directory")) {
            try DirectoryScanner().scan("/nonexistent-distill")
        }
    }
}
