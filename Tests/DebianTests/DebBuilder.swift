import Archive
import Foundation

/// Builds small .deb files in tests: an ar archive holding debian-binary, control.tar.* and data.tar.*.
struct DebBuilder {
    enum Compression: String, CaseIterable, Sendable {
        case none = ""
        case gzip = ".gz"
        case zstd = ".zst"
    }

    struct File {
        var path: String
        var kind: EntryKind = .regular
        var mode: UInt32 = 0o644
        var content = Data()
    }

    var control = "Package: demo\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: Nobody <nobody@example.com>\nDescription: demo\n"
    var md5sums: String? = "d41d8cd98f00b204e9800998ecf8427e  usr/bin/demo\n"
    var files: [File] = []
    var compression = Compression.gzip

    /// The .deb's bytes.
    func build() throws -> Data {
        var controlFiles = [File(path: "./", kind: .directory, mode: 0o755), File(path: "./control", content: Data(control.utf8))]
        if let md5sums { controlFiles.append(File(path: "./md5sums", content: Data(md5sums.utf8))) }
        var members: [(String, Data)] = [("debian-binary", Data("2.0\n".utf8))]
        members.append(("control.tar" + compression.rawValue, try tar(controlFiles)))
        members.append(("data.tar" + compression.rawValue, try tar(files)))
        return Self.ar(members)
    }

    private func tar(_ files: [File]) throws -> Data {
        let output = DataSink()
        let sink: ByteSink
        switch compression {
        case .none: sink = output
        case .gzip: sink = try ParallelGzipSink(downstream: output, threads: 1)
        case .zstd: sink = try ZstdSink(downstream: output)
        }
        let writer = try TarWriter(sink: sink, name: "test tar")
        for file in files {
            let size = file.kind == .regular ? Int64(file.content.count) : 0
            try writer.writeHeader(ArchiveEntry(rawPath: file.path, kind: file.kind, permissions: file.mode, size: size))
            if size > 0 { try file.content.withUnsafeBytes { try writer.writeData($0) } }
        }
        try writer.finish()
        return output.data
    }

    /// A Unix ar archive with GNU-style member names.
    static func ar(_ members: [(String, Data)]) -> Data {
        var data = Data("!<arch>\n".utf8)
        func field(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        for (name, content) in members {
            let header = field(name + "/", 16) + field("0", 12) + field("0", 6) + field("0", 6) + field("100644", 8)
                + field(String(content.count), 10) + "`\n"
            data.append(Data(header.utf8))
            data.append(content)
            if content.count % 2 == 1 { data.append(0x0A) }
        }
        return data
    }
}
