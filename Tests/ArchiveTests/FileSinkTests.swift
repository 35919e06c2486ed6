import Archive
import Foundation
import Testing
import TestSupport

/// A file sink always makes a new file: cache blobs are hard-linked into outputs, so writing through an existing
/// name would change them all.
@Suite struct FileSinkTests {
    @Test(arguments: ["hard link", "symbolic link"])
    func writingOverALinkLeavesItsTargetAlone(_ kind: String) throws {
        let dir = try TemporaryDirectory("file-sink")
        try Data("cached blob\n".utf8).write(to: URL(fileURLWithPath: dir("blob")))
        if kind == "hard link" {
            try FileManager.default.linkItem(atPath: dir("blob"), toPath: dir("output"))
        } else {
            try FileManager.default.createSymbolicLink(atPath: dir("output"), withDestinationPath: dir("blob"))
        }
        let sink = try FileSink(path: dir("output"))
        try sink.write(Data("a new layer, longer than the blob\n".utf8))
        try sink.finish()
        #expect(try String(contentsOfFile: dir("blob"), encoding: .utf8) == "cached blob\n", "the linked file is unchanged")
        #expect(try String(contentsOfFile: dir("output"), encoding: .utf8) == "a new layer, longer than the blob\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir("output"))
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect((attributes[.referenceCount] as? NSNumber)?.intValue == 1, "a file of its own")
    }
}
