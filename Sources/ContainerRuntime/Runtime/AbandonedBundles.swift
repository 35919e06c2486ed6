import Foundation
import SystemSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Cleans up after distill processes that died without cleaning up (SIGKILL, power loss): their
/// containers, the overlay and tmpfs mounts of their bundles, and the bundle directories.
///
/// Bundles, unpacked root filesystems and container ids carry the pid of the distill process that made
/// them; only those whose process no longer exists, and only directories owned by the current user, are touched.
enum AbandonedBundles {
    private static let sweep = AsyncValue<Bool>()
    private static let started = Flag()

    /// Runs the sweep once per process; later callers wait for the first one to finish.
    static func sweepOnce(runc: Runc, temporaryDirectory: String = FileManager.default.temporaryDirectory.path) async {
        if started.setIfUnset() {
            await sweepNow(runc: runc, temporaryDirectory: temporaryDirectory)
            sweep.resolve(true)
        } else {
            _ = await sweep.value()
        }
    }

    /// Removes what dead distill processes left behind, now.
    static func sweepNow(runc: Runc, temporaryDirectory: String = FileManager.default.temporaryDirectory.path) async {
        await removeContainers(runc: runc)
        removeBundles(in: temporaryDirectory)
    }

    /// True when `name` carries `prefix` and the pid of a distill process that is gone.
    static func deadOwner(of name: String, prefix: String) -> Bool {
        ProcessLiveness.ownerIsGone(name, prefix: prefix)
    }

    private static func removeContainers(runc: Runc) async {
        guard let listing = try? await Subprocess.run(runc.executable, ["--root", runc.stateRoot, "list", "--format", "json"]),
              listing.exitCode == 0,
              let containers = try? JSONSerialization.jsonObject(with: listing.stdout) as? [[String: Any]]
        else { return }
        for container in containers {
            guard let id = container["id"] as? String, deadOwner(of: id, prefix: "distill-") else { continue }
            await runc.delete(id: id)
        }
    }

    /// What dead distill processes leave in the temporary directory: bundles, writable layers, and the
    /// private folders holding unpacked root filesystems.
    static let abandonedPrefixes = [ScratchPrefix.bundle, ScratchPrefix.writableLayer, ScratchPrefix.unpackedImage].map { $0 + "-" }

    private static func removeBundles(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where abandonedPrefixes.contains(where: { deadOwner(of: name, prefix: $0) }) {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid() else { continue }
            // Deepest mounts first: the overlay root, then the tmpfs holding its upper layer.
            for mountPoint in mountPoints(under: path).sorted(by: { $0.count > $1.count }) {
                _ = umount2(mountPoint, Int32(MNT_DETACH))
            }
            guard mountPoints(under: path).isEmpty else { continue }
            // By descriptor, refusing to cross a mount: a leftover mount never turns into deleting through it.
            try? FileTree.remove(path: path)
        }
    }

    /// Mount points at or below `path`, from /proc/self/mountinfo (octal escapes decoded).
    static func mountPoints(under path: String) -> [String] {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = decodeOctalEscapes(String(fields[4]))
            return point == path || point.hasPrefix(path + "/") ? point : nil
        }
    }

    private static func decodeOctalEscapes(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "\\"), input.count >= 3,
               let value = UInt8(String(decoding: input.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                input = input.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
