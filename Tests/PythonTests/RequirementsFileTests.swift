import Foundation
import Python
import TestSupport
import Testing

@Suite struct RequirementsFileTests {
    @Test func readsPinsRangesExtrasMarkersHashesAndOptions() throws {
        let hash = String(repeating: "ab", count: 32)
        let text = """
            # the app's dependencies
            --index-url https://mirror.example/simple
            flask==3.1.1 \\
                --hash=sha256:\(hash)
            click>=8.0,<8.2   # a range
            Flask-Cors[extra1] ; python_version >= "3.8"
            importlib-metadata; python_version < "3.10"
            pyyaml --hash sha256:\(hash.uppercased())
            --pre
            token-${TOKEN_NAME}
            """
        let file = try RequirementsFile.parse(text, name: "requirements.txt", environment: ["TOKEN_NAME": "lib"])
        #expect(file.indexURL == "https://mirror.example/simple")
        #expect(file.preReleases)
        #expect(file.entries.map(\.requirement.name.normalized) == ["flask", "click", "flask-cors", "importlib-metadata", "pyyaml", "token-lib"])
        #expect(file.entries[0].hashes == [hash])
        #expect(file.entries[0].origin == "requirements.txt:3")
        #expect(file.entries[1].requirement.specifier.description == ">=8.0,<8.2")
        #expect(file.entries[2].requirement.extras == ["extra1"])
        #expect(file.entries[3].requirement.marker != nil)
        #expect(file.entries[4].hashes == [hash])
    }

    @Test func followsIncludesRelativeToTheFile() throws {
        let dir = try TemporaryDirectory("requirements")
        try FileManager.default.createDirectory(atPath: dir("deps"), withIntermediateDirectories: true)
        try "-r deps/base.txt\nflask\n".write(toFile: dir("requirements.txt"), atomically: true, encoding: .utf8)
        try "-r more.txt\nclick<8.2\n".write(toFile: dir("deps/base.txt"), atomically: true, encoding: .utf8)
        try "--requirement=../last.txt\n".write(toFile: dir("deps/more.txt"), atomically: true, encoding: .utf8)
        try "blinker\n".write(toFile: dir("last.txt"), atomically: true, encoding: .utf8)
        let file = try RequirementsFile.load(path: dir("requirements.txt"))
        #expect(file.entries.map(\.requirement.name.normalized) == ["blinker", "click", "flask"])
        #expect(file.entries[1].origin == "base.txt:2")
    }

    @Test func anIncludeLoopIsAnError() throws {
        let dir = try TemporaryDirectory("requirements")
        try "-r b.txt\n".write(toFile: dir("a.txt"), atomically: true, encoding: .utf8)
        try "-r a.txt\n".write(toFile: dir("b.txt"), atomically: true, encoding: .utf8)
        #expect(throws: PythonError.self) { try RequirementsFile.load(path: dir("a.txt")) }
    }

    @Test(arguments: [
        ("-e .", "editable"), ("flask @ https://x.example/flask.whl", "index only"), ("--hash=md5:abc", "unknown option --hash"),
        ("flask --hash=md5:00", "sha256"), ("flask --hash=sha256:12", "64 hex"), ("--no-binary :all:", "wheels only"),
        ("--frobnicate", "unknown option"), ("flask>=", "not a requirement"), ("-r missing.txt", "includes need"),
    ])
    func refusesWhatItCannotHonour(_ line: String, _ fragment: String) {
        #expect {
            try RequirementsFile.parse(line + "\n", name: "requirements.txt")
        } throws: { error in
            let text = "\(error)"
            return text.contains("requirements.txt:1") && text.contains(fragment)
        }
    }
}

@Suite struct WheelTagTests {
    static let amd64 = PythonPlatform(pythonVersion: "3.11.2", architecture: "amd64", glibc: (2, 36))!
    static let arm64trixie = PythonPlatform(pythonVersion: "3.13.5", architecture: "arm64", glibc: (2, 41))!

    @Test(arguments: [
        ("flask-3.1.1-py3-none-any.whl", true, true),
        ("bottle-0.13.2-py2.py3-none-any.whl", true, true),
        ("PyYAML-6.0.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", true, false),
        ("PyYAML-6.0.2-cp313-cp313-manylinux_2_17_aarch64.manylinux2014_aarch64.whl", false, true),
        ("x-1.0-cp311-cp311-musllinux_1_1_x86_64.whl", false, false),
        ("x-1.0-cp311-cp311-linux_x86_64.whl", false, false),
        ("x-1.0-cp311-cp311-manylinux_2_39_x86_64.whl", false, false),
        ("x-1.0-cp313-cp313-manylinux_2_39_aarch64.whl", false, true),
        ("x-1.0-cp313-cp313-manylinux_2_42_aarch64.whl", false, false),
        ("x-1.0-cp38-abi3-manylinux2010_x86_64.whl", true, false),
        ("x-1.0-cp38-abi3-manylinux2014_aarch64.whl", false, true),
        ("x-1.0-cp312-abi3-manylinux1_x86_64.whl", false, false),
        ("x-1.0-cp311-cp311d-manylinux1_x86_64.whl", false, false),
        ("x-1.0-cp313-cp313t-manylinux_2_17_aarch64.whl", false, false),
        ("x-1.0-py2-none-any.whl", false, false),
        ("x-1.0-cp311-none-any.whl", true, false),
        ("x-1.0-1build-py3-none-any.whl", true, true),
    ])
    func installsOnlyWhereTheTagsFit(_ filename: String, _ onDebian12amd64: Bool, _ onDebian13arm64: Bool) throws {
        let wheel = try WheelFilename(filename)
        #expect((Self.amd64.rank(wheel) != nil) == onDebian12amd64, "\(filename) on \(Self.amd64)")
        #expect((Self.arm64trixie.rank(wheel) != nil) == onDebian13arm64, "\(filename) on \(Self.arm64trixie)")
    }

    @Test func prefersTheMostSpecificWheel() throws {
        func rank(_ name: String) throws -> Int { try #require(Self.amd64.rank(try WheelFilename(name))) }
        #expect(try rank("x-1-cp311-cp311-manylinux_2_28_x86_64.whl") < rank("x-1-cp311-cp311-manylinux_2_17_x86_64.whl"))
        #expect(try rank("x-1-cp311-cp311-manylinux_2_17_x86_64.whl") < rank("x-1-cp39-abi3-manylinux_2_28_x86_64.whl"))
        #expect(try rank("x-1-cp39-abi3-manylinux_2_17_x86_64.whl") < rank("x-1-py3-none-any.whl"))
        #expect(try rank("x-1-py311-none-any.whl") < rank("x-1-py3-none-any.whl"))
    }

    @Test(arguments: ["flask.whl", "flask-3.1.1.whl", "flask-3.1.1-py3-none-any.zip", "flask-x y-py3-none-any.whl", "a-1-b2-py3-none-any.whl"])
    func refusesWhatIsNotAWheelName(_ name: String) {
        #expect(throws: PythonError.self) { try WheelFilename(name) }
    }
}
