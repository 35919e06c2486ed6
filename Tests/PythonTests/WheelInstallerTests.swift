import Archive
import Foundation
import Python
import TestSupport
import Testing

@Suite struct WheelInstallerTests {
    static let scheme = InstallScheme.debian(pythonVersion: "3.11")

    static func install(_ names: [String], from directory: String = FrozenPyPI.root.path + "/files") throws -> (LayerTree, TemporaryDirectory) {
        let staging = try TemporaryDirectory("wheel-staging")
        var tree = LayerTree()
        var owners: [String: String] = [:]
        for (index, name) in names.enumerated() {
            let folder = staging("\(index)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            _ = try WheelInstaller(scheme: scheme).install(wheel: directory + "/" + name, filename: name, into: &tree, owners: &owners, staging: folder)
        }
        return (tree, staging)
    }

    static func content(_ tree: LayerTree, _ path: String) throws -> Data {
        let node = try #require(tree[path])
        return try #require(try node.content?.open().readAll(what: path))
    }

    @Test func installsFlaskAsPEP427Says() throws {
        let (tree, staging) = try Self.install(["flask-3.1.1-py3-none-any.whl"])
        defer { staging.remove() }
        let site = "usr/lib/python3/dist-packages"
        #expect(tree[site + "/flask/__init__.py"]?.permissions == 0o644)
        #expect(String(decoding: try Self.content(tree, site + "/flask-3.1.1.dist-info/INSTALLER"), as: UTF8.self) == "distill\n")
        let script = String(decoding: try Self.content(tree, "usr/bin/flask"), as: UTF8.self)
        #expect(script.hasPrefix("#!/usr/bin/python3.11\n"))
        #expect(script.contains("from flask.cli import main"))
        #expect(tree["usr/bin/flask"]?.permissions == 0o755)
        // RECORD lists every installed file with its digest and size, the script as seen from the site folder.
        let record = String(decoding: try Self.content(tree, site + "/flask-3.1.1.dist-info/RECORD"), as: UTF8.self)
        #expect(record.contains("../../../bin/flask,sha256="))
        #expect(record.contains("flask-3.1.1.dist-info/INSTALLER,sha256="))
        #expect(record.contains("flask-3.1.1.dist-info/RECORD,,"))
        for line in record.split(separator: "\n") where !line.hasSuffix(",,") {
            let fields = line.split(separator: ",")
            let path = URL(fileURLWithPath: "/" + site + "/" + fields[0]).standardizedFileURL.path.dropFirst()
            let data = try Self.content(tree, String(path))
            #expect(String(data.count) == fields[2], "\(fields[0])")
        }
    }

    @Test func aSharedObjectLandsInTheSiteFolder() throws {
        let name = "PyYAML-6.0.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
        let (tree, staging) = try Self.install([name])
        defer { staging.remove() }
        let so = tree.nodes.keys.filter { $0.hasSuffix(".so") }
        #expect(so == ["usr/lib/python3/dist-packages/yaml/_yaml.cpython-311-x86_64-linux-gnu.so"])
    }

    @Test func aMemberThatDoesNotMatchRECORDIsRefused() throws {
        let dir = try TemporaryDirectory("bad-wheel")
        let name = "blinker-1.9.0-py3-none-any.whl"
        // Rewrite one member's bytes, keep RECORD: the wheel no longer matches itself.
        try Tool.check([
            "python3", "-c",
            """
            import sys, zipfile
            src, dst = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
                for item in zin.infolist():
                    data = zin.read(item.filename)
                    if item.filename == "blinker/base.py":
                        data = data.replace(b"import", b"imp0rt", 1)
                    zout.writestr(item, data)
            """,
            FrozenPyPI.root.path + "/files/" + name, dir(name),
        ])
        #expect {
            try Self.install([name], from: dir.path)
        } throws: { error in
            "\(error)".contains("blinker/base.py does not match its RECORD digest") && "\(error)".contains(name)
        }
    }

    @Test func twoWheelsWritingOneFileConflict() throws {
        let name = "click-8.5.1-py3-none-any.whl"
        #expect(throws: PythonError.self) { try Self.install([name, "click-8.1.8-py3-none-any.whl"]) }
    }

    @Test func shebangsOfDataScriptsPointAtTheImagesPython() {
        let rewritten = WheelInstaller.rewriteShebang(Data("#!python\nprint(1)\n".utf8), interpreter: "/usr/bin/python3.13")
        #expect(String(decoding: rewritten, as: UTF8.self) == "#!/usr/bin/python3.13\nprint(1)\n")
        let other = Data("#!/bin/sh\necho\n".utf8)
        #expect(WheelInstaller.rewriteShebang(other, interpreter: "/usr/bin/python3.13") == other)
    }
}

@Suite struct PythonLockTests {
    @Test func roundTripsThroughJSON() throws {
        let lock = PythonLock(
            inputs: PythonLockInputs(requirements: ["flask", "click<8.2 --hash=sha256:\(String(repeating: "a", count: 64))"], python: "3.11", preReleases: false),
            wheels: ["amd64": [LockedWheel(name: "click", version: "8.1.8", filename: "click-8.1.8-py3-none-any.whl", url: "https://x.test/click-8.1.8-py3-none-any.whl", sha256: String(repeating: "b", count: 64))]])
        let data = try JSONEncoder().encode(lock)
        #expect(try JSONDecoder().decode(PythonLock.self, from: data) == lock)
        try lock.validate(file: "distill.lock")
    }

    @Test(arguments: [
        ("click-8.1.8-py3-none-any.whl", "https://x.test/c.whl", String(repeating: "z", count: 64)),
        ("click-8.1.8-py3-none-any.whl", "file:///etc/passwd", String(repeating: "b", count: 64)),
        ("../../evil-1-py3-none-any.whl", "https://x.test/c.whl", String(repeating: "b", count: 64)),
        ("flask-3.1.1-py3-none-any.whl", "https://x.test/c.whl", String(repeating: "b", count: 64)),
    ])
    func refusesValuesThatWouldReachTheDiskOrNetworkUnchecked(_ filename: String, _ url: String, _ sha256: String) {
        let lock = PythonLock(
            inputs: PythonLockInputs(requirements: [], python: "3.11", preReleases: false),
            wheels: ["amd64": [LockedWheel(name: "click", version: "8.1.8", filename: filename, url: url, sha256: sha256)]])
        #expect(throws: PythonError.self) { try lock.validate(file: "distill.lock") }
    }
}
