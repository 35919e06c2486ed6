import Foundation
import SystemSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An in-memory overlay upper layer that several containers use one after the other, so that what a
/// structure test's setup commands write is seen by its command and its teardown — like a container
/// committed between steps — and is thrown away with the layer.
public final class WritableLayer: @unchecked Sendable {
    /// The tmpfs mount point; `upper` and `work` live inside it.
    let directory: String
    var upper: String { directory + "/upper" }
    var work: String { directory + "/work" }
    private var isMounted = false

    /// Mounts a fresh tmpfs under `parent` with upper/work directories; the upper root copies `rootfs`'s owner and mode.
    public init(rootfs: RootFilesystem, parent: String = FileManager.default.temporaryDirectory.path, size: Int64 = RunOptions.defaultWritableSize) throws {
        directory = URL(fileURLWithPath: parent)
            .appendingPathComponent("\(ScratchPrefix.writableLayer)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())").path
        guard mkdir(directory, 0o700) == 0 else {
            throw RuntimeError.io(path: directory, reason: "cannot create: \(errnoText(errno))")
        }
        do {
            try prepare(rootfs: rootfs, size: size)
        } catch {
            try? remove()
            throw error
        }
    }

    private func prepare(rootfs: RootFilesystem, size: Int64) throws {
        // tmpfs works as an upper layer even when the temporary directory is itself on overlayfs.
        guard Glibc.mount("tmpfs", directory, "tmpfs", UInt(MS_NOSUID | MS_NODEV), "mode=0700,size=\(size)") == 0 else {
            let code = errno
            if code == EPERM && geteuid() != 0 { throw RuntimeError.notRoot(uid: geteuid()) }
            throw RuntimeError.overlayUnavailable(reason: "mount -t tmpfs on \(directory): \(errnoText(code))")
        }
        isMounted = true
        for path in [upper, work] {
            guard mkdir(path, 0o755) == 0 else {
                throw RuntimeError.io(path: path, reason: "cannot create: \(errnoText(errno))")
            }
        }
        // The container's "/" shows the upper directory's owner and mode: copy the image root's.
        var info = stat()
        if stat(rootfs.path, &info) == 0 {
            chown(upper, info.st_uid, info.st_gid)
            chmod(upper, info.st_mode & 0o7777)
        }
    }

    /// Unmounts the tmpfs and removes its mount point; safe to call more than once.
    public func remove() throws {
        if isMounted {
            guard umount2(directory, 0) == 0 || umount2(directory, Int32(MNT_DETACH)) == 0 else {
                throw RuntimeError.io(path: directory, reason: "cannot unmount: \(errnoText(errno))")
            }
            isMounted = false
        }
        rmdir(directory)
    }
}
