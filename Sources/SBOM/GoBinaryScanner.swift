import Foundation

/// Finds Go build info in executable ELF files as their bytes stream past, without storing the files.
///
/// The `.go.buildinfo` section starts 16-byte aligned with a fixed magic; the scanner looks for it at
/// aligned offsets, keeping only a few bytes across chunk boundaries, and decodes the header and the
/// two inline strings after it.
public final class GoBinaryScanner: LayerObserver {
    /// Build info found per final path, with the layer that wrote the binary.
    private var found: [String: (layer: Int, info: GoBuildInfo)] = [:]

    public init() {}

    public func observe(_ entry: LayerEntry) throws -> ContentConsumer? {
        guard entry.kind == .regular, let path = entry.path else { return nil }
        // A binary that a later layer replaces must not keep its old record (most images have none to forget).
        if !found.isEmpty { found[path] = nil }
        guard entry.permissions & 0o111 != 0, entry.size >= 64 else { return nil }
        return Search { [weak self] info in self?.found[path] = (entry.layer, info) }
    }

    /// The Go binaries of the final tree, by path.
    public func binaries(in tree: FileTree) -> [String: (layer: Int, info: GoBuildInfo)] {
        found.filter { path, value in tree.entry(at: path).map { $0.layer == value.layer && $0.kind == .regular } ?? false }
    }

    /// The per-file search.
    final class Search: ContentConsumer {
        private static let elfMagic: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]
        /// The most bytes held while a candidate's strings are read (module lists are a few KiB).
        private static let maximumWindow = 8 << 20
        private var window: [UInt8] = []
        private var windowStart = 0
        private var searchFrom = 0
        private var checkedELF = false
        private let done: (GoBuildInfo) -> Void

        init(done: @escaping (GoBuildInfo) -> Void) { self.done = done }

        func consume(_ chunk: UnsafeRawBufferPointer) throws -> Bool {
            window.append(contentsOf: chunk)
            if !checkedELF {
                if window.count < 4 { return true }
                guard window.starts(with: Self.elfMagic) else { return false }
                checkedELF = true
            }
            return scan()
        }

        /// Searches the window; returns false once the info is found or the file is given up on.
        private func scan() -> Bool {
            let magic = GoBuildInfo.magic
            while true {
                guard let match = find(magic, from: searchFrom) else {
                    // Keep just enough of the end for a magic split across chunks.
                    let keep = min(window.count, magic.count - 1)
                    let drop = window.count - keep
                    window.removeFirst(drop)
                    windowStart += drop
                    searchFrom = 0
                    return true
                }
                let decoded = window.withUnsafeBytes { GoBuildInfo.decode(UnsafeRawBufferPointer(rebasing: $0[match...])) }
                switch decoded {
                case .info(let info):
                    done(info)
                    return false
                case .needMore(let count):
                    if count > Self.maximumWindow { searchFrom = match + 1; continue }
                    window.removeFirst(match)
                    windowStart += match
                    searchFrom = 0
                    return true
                case .invalid:
                    searchFrom = match + 1
                }
            }
        }

        /// The first 16-byte aligned (in the file) position at or after `start` where `needle` begins.
        private func find(_ needle: [UInt8], from start: Int) -> Int? {
            let misalignment = (windowStart + start) % 16
            var position = start + (misalignment == 0 ? 0 : 16 - misalignment)
            return window.withUnsafeBytes { haystack -> Int? in
                while position + needle.count <= haystack.count {
                    if haystack[position] == needle[0] && haystack[position + 1] == needle[1] {
                        var index = 2
                        while index < needle.count && haystack[position + index] == needle[index] { index += 1 }
                        if index == needle.count { return position }
                    }
                    position += 16
                }
                return nil
            }
        }

        func finish() throws {}
    }
}
