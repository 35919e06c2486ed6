import Archive
import Foundation
import Testing
import TestSupport

@Suite("TarWriter and ArchiveReader")
struct TarWriterTests {
    @Test("device nodes and fifos are written with their numbers and read back")
    func specialFiles() throws {
        let dir = try TemporaryDirectory("tar-special")
        let path = try LayerBuilder(dir("l.tar"), gzip: false).dir("dev")
            .entry(ArchiveEntry(rawPath: "dev/null", kind: .characterDevice(major: 1, minor: 3), permissions: 0o666))
            .entry(ArchiveEntry(rawPath: "dev/sda1", kind: .blockDevice(major: 8, minor: 1), permissions: 0o660, gid: 6))
            .entry(ArchiveEntry(rawPath: "run/pipe", kind: .fifo, permissions: 0o600))
            .finish()
        let reader = try ArchiveReader(path: path, format: .tar)
        var kinds: [String: EntryKind] = [:]
        while let entry = try reader.nextEntry() { kinds[entry.rawPath] = entry.kind }
        #expect(kinds["dev/null"] == .characterDevice(major: 1, minor: 3))
        #expect(kinds["dev/sda1"] == .blockDevice(major: 8, minor: 1))
        #expect(kinds["run/pipe"] == .fifo)
        let listing = try Tool.check(["tar", "--numeric-owner", "-tvf", path])
        #expect(listing.contains("crw-rw-rw- 0/0") && listing.contains("1,3") && listing.contains("brw-rw---- 0/6"))
    }

    @Test("opening a missing or unreadable archive is an error, not a crash", arguments: ["/nonexistent/layer.tar", "/"])
    func missing(_ path: String) {
        #expect(throws: ArchiveError.self) {
            let reader = try ArchiveReader(path: path, format: .tar)
            _ = try reader.nextEntry()
        }
    }

    @Test("a source that fails mid-stream surfaces its own error")
    func failingSource() throws {
        final class Failing: ByteSource {
            func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { throw ArchiveError.readFailed(path: "net", reason: "reset") }
        }
        #expect(throws: ArchiveError.readFailed(path: "net", reason: "reset")) {
            let reader = try ArchiveReader(source: Failing(), format: .tar, name: "remote layer")
            _ = try reader.nextEntry()
        }
    }
}
