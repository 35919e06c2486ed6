import Debian
import Foundation
@testable import ImageBuild
import Python
import TestSupport
import Testing

@Suite struct BuildLockTests {
    static func sample() -> BuildLock {
        let inputs = LockInputs(distro: "debian12", suites: ["bookworm"], architectures: ["amd64"], packages: ["libc6"], policy: .distroless)
        let package = LockedPackage(
            name: "zlib1g", version: "1:1.2.13.dfsg-1", architecture: "amd64", suite: "bookworm", filename: "pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb",
            sha256: String(repeating: "c", count: 64), size: 86_700)
        let wheel = LockedWheel(
            name: "click", version: "8.1.8", filename: "click-8.1.8-py3-none-any.whl", url: "https://files.example/click-8.1.8-py3-none-any.whl",
            sha256: String(repeating: "d", count: 64))
        return BuildLock(
            debian: LockFile(inputs: inputs, packages: ["amd64": [package]]),
            python: PythonLock(inputs: PythonLockInputs(requirements: ["click<8.2"], python: "3.11", preReleases: false), wheels: ["amd64": [wheel]]),
            native: ["amd64": [NativeAddition(package: "zlib1g", library: "libz.so.1", file: "/app/hello")]])
    }

    @Test func roundTripsAndStaysReadableByDebiansReader() throws {
        let dir = try TemporaryDirectory("build-lock")
        let lock = Self.sample()
        try lock.write(to: dir("distill.lock"))
        #expect(try BuildLock.read(dir("distill.lock")) == lock)
        // Debian's part alone reads as before, the extra keys ignored.
        #expect(try LockFile.read(from: URL(fileURLWithPath: dir("distill.lock"))) == lock.debian)
        // CRLF line ends (a checkout on Windows) read the same.
        let text = try String(contentsOfFile: dir("distill.lock"), encoding: .utf8)
        try text.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: dir("crlf.lock"), atomically: true, encoding: .utf8)
        #expect(try BuildLock.read(dir("crlf.lock")) == lock)
        // One document, keys sorted: "native" and "python" beside Debian's.
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == ["fingerprint", "inputs", "lockVersion", "native", "packages", "python"])
    }

    @Test func aNativePackageThatIsNoPackageNameIsRefused() throws {
        let dir = try TemporaryDirectory("build-lock")
        var lock = Self.sample()
        lock.native["amd64"] = [NativeAddition(package: "../evil", library: "x", file: "/x")]
        try lock.write(to: dir("distill.lock"))
        #expect(throws: DebianError.self) { try BuildLock.read(dir("distill.lock")) }
    }

    @Test func nativeAdditionsRoundTrip() throws {
        let addition = NativeAddition(package: "libpq5", library: "libpq.so.5", file: "/app/server")
        #expect(try JSONDecoder().decode(NativeAddition.self, from: JSONEncoder().encode(addition)) == addition)
    }
}
