import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private folder for targets whose parser reads a path (a .deb, an ELF file): in memory when /dev/shm exists,
/// created once per process (mkdtemp, 0700) and removed at exit, so an input costs one write, not a folder.
enum FuzzScratch {
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array((base + "/distill-fuzz-XXXXXX").utf8CString)
        let path = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap(mkdtemp).map { String(cString: $0) } }
        atexit { try? FileManager.default.removeItem(atPath: FuzzScratch.folder) }
        return path ?? NSTemporaryDirectory()
    }()

    /// Replaces the file `name` in the folder with `data`; its path, or nil when it cannot be written.
    /// The name is fixed per target and per thread of the caller (replays run targets in parallel).
    static func write(_ data: Data, as name: String) -> String? {
        let path = folder + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let written = data.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, base + done, buffer.count - done)
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        return written ? path : nil
    }

    /// A name unique to the calling thread, so parallel replays of one target never share a file.
    static func threadName(_ stem: String) -> String { "\(stem)-\(pthread_self())" }
}
