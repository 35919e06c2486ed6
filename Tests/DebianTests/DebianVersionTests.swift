import Foundation
import Testing
import TestSupport

@testable import Debian

/// One line of the public version table: `A < B` or `A = B`.
struct VersionTableLine: CustomStringConvertible, Sendable {
    let line: Int
    let lhs: String
    let relation: String
    let rhs: String
    var description: String { "line \(line): \(lhs) \(relation) \(rhs)" }

    static func load() throws -> [VersionTableLine] {
        let text = try String(contentsOfFile: SharedTestData.path("vuln/versions/debian-versions.txt"), encoding: .utf8)
        var lines: [VersionTableLine] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if parts.isEmpty { continue }
            precondition(parts.count == 3, "unexpected line \(number + 1): \(raw)")
            lines.append(VersionTableLine(line: number + 1, lhs: String(parts[0]), relation: String(parts[1]), rhs: String(parts[2])))
        }
        return lines
    }
}

@Suite("dpkg version ordering")
struct DebianVersionTests {
    @Test("agrees with every line of the public dpkg version table")
    func publicTable() throws {
        let lines = try VersionTableLine.load()
        #expect(lines.count >= 25)
        for entry in lines {
            let a = try DebianVersion(entry.lhs)
            let b = try DebianVersion(entry.rhs)
            switch entry.relation {
            case "<":
                #expect(a < b, "\(entry)")
                #expect(b > a, "\(entry)")
                #expect(a != b, "\(entry)")
            case "=":
                #expect(a == b, "\(entry)")
                #expect(!(a < b) && !(b < a), "\(entry)")
            case ">":
                #expect(a > b, "\(entry)")
            default:
                Issue.record("unknown relation in \(entry)")
            }
        }
    }

    @Test(
        "orders tilde, letters, numbers and epochs as dpkg does",
        arguments: [
            ("1.0~rc1", "1.0"), ("1.0~~", "1.0~"), ("1.0", "1.0a"), ("1.0a", "1.0+"), ("1.0", "1.0.1"),
            ("1:0.1", "2:0.0"), ("0.9", "1:0.1"), ("1.2-1", "1.2-1.1"), ("1.2-1~bpo1", "1.2-1"),
            ("3.0.20-1~deb12u1", "3.0.20-1~deb12u2"), ("2.36-9+deb12u9", "2.36-9+deb12u14"), ("1.9", "1.10"),
            ("1.0-1", "1.0.0-1"), ("a", "b"),
        ])
    func ordering(lower: String, higher: String) throws {
        #expect(try DebianVersion(lower) < DebianVersion(higher))
        #expect(try DebianVersion(higher) > DebianVersion(lower))
    }

    @Test("splits epoch, upstream and revision")
    func components() throws {
        let v = try DebianVersion("1:1.2.13.dfsg-1")
        #expect(v.epoch == 1)
        #expect(v.upstream == "1.2.13.dfsg")
        #expect(v.revision == "1")
        let w = try DebianVersion("2.7.4+reloaded2-13+deb9u1")
        #expect(w.upstream == "2.7.4+reloaded2" && w.revision == "13+deb9u1")
        let u = try DebianVersion("1:2.0-beta-3")
        #expect(u.upstream == "2.0-beta" && u.revision == "3")
    }

    @Test("refuses malformed versions with a message naming them", arguments: ["", "x:1.0", "1.0-", ":1.0", "1.0 2", "1.0_1"])
    func malformed(text: String) {
        #expect(throws: DebianError.self) { try DebianVersion(text) }
    }

    @Test("round-trips through Codable as its string")
    func codable() throws {
        let v = try DebianVersion("1:4.4.33-2")
        let data = try JSONEncoder().encode([v])
        #expect(String(decoding: data, as: UTF8.self) == "[\"1:4.4.33-2\"]")
        #expect(try JSONDecoder().decode([DebianVersion].self, from: data)[0].string == "1:4.4.33-2")
    }
}

@Suite("dpkg version ordering against dpkg itself")
struct DpkgCrossCheckTests {
    @Test(
        "agrees with dpkg --compare-versions on versions from the frozen indexes",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg")))
    func againstDpkg() async throws {
        // The same package in bookworm and trixie, and neighbours in name order: epochs, ~, +b, +deb, dfsg.
        let bookworm = try await FrozenMirror.index("bookworm", "amd64")
        let trixie = try await FrozenMirror.index("trixie", "amd64")
        let names = bookworm.names.filter { trixie.newest($0) != nil }
        var pairs: [(String, String)] = []
        var step = 0
        for name in names where step < 120 {
            step += 1
            let skip = names.count / 120
            guard step * skip < names.count else { break }
            let n = names[step * skip]
            if let a = bookworm.newest(n)?.version.string, let b = trixie.newest(n)?.version.string { pairs.append((a, b)) }
            if let a = bookworm.newest(n)?.version.string, let b = bookworm.newest(names[(step * skip + 1) % names.count])?.version.string {
                pairs.append((a, b))
            }
        }
        #expect(pairs.count > 200)
        // One shell runs every comparison: spawning dpkg from the test once per pair is slow.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "while read a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo 1; else echo 0; fi; done"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(pairs.map { "\($0.0) \($0.1)\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        let answers = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        process.waitUntilExit()
        #expect(answers.count == pairs.count)
        for ((a, b), answer) in zip(pairs, answers) {
            let ours = DebianVersion.compare(try DebianVersion(a), try DebianVersion(b))
            #expect((answer == "1") == (ours < 0), "\(a) vs \(b): ours \(ours), dpkg says lt=\(answer)")
        }
    }
}
