import Foundation
import ImageFormat
import ImageTransport

/// Copies one reference to another for push, pull and copy: blobs several at once, a line per blob on a terminal.
enum ImageCopy {
    /// Copies `from` to `to` (one platform when `arch` is given or the destination holds one), prints the digest and returns the root written.
    @discardableResult
    static func run(from: ImageReference, to: ImageReference, arch: String?) async throws -> Descriptor {
        let input = try from.openSource()
        defer { input.close() }
        let output = try to.openDestination()
        let terminal = isatty(STDERR_FILENO) == 1
        let copier = ImageCopier(
            platform: arch.map { Platform(debianArchitecture: $0) },
            notice: { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) },
            progress: { event in
                guard terminal else { return }
                FileHandle.standardError.write(Data((Self.line(event) + "\n").utf8))
            })
        let root = try await copier.copy(from: input, to: output)
        print("\(to): \(root.digest)")
        return root
    }

    private static func line(_ event: BlobCopyEvent) -> String {
        switch event {
        case .present(let blob): return "  \(short(blob.digest)) \(ByteCountFormatter.string(fromByteCount: blob.size, countStyle: .file)) already there"
        case .mounted(let blob): return "  \(short(blob.digest)) \(ByteCountFormatter.string(fromByteCount: blob.size, countStyle: .file)) mounted"
        case .stored(let blob): return "  \(short(blob.digest)) \(ByteCountFormatter.string(fromByteCount: blob.size, countStyle: .file)) copied"
        }
    }

    private static func short(_ digest: Digest) -> String { String(digest.encoded.prefix(12)) }
}
