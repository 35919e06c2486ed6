import Foundation
import SystemSupport
import ImageFormat

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A temporary OCI runtime bundle: `config.json` plus a root that is the image seen through overlayfs.
///
/// The container never writes into the image directory: its root is an overlay whose lower layer is
/// the unpacked image and whose upper layer is a private tmpfs, so mount points runc creates, files a
/// writable-root container writes and /etc/hosts all vanish with the bundle. `remove()` unmounts and
/// deletes everything; it refuses to delete while a mount is still in place, so a failed unmount can
/// never turn into deleting files through the overlay.
public final class RuntimeBundle: @unchecked Sendable {
    /// The bundle directory (`runc run --bundle`).
    public let directory: String
    /// The container's root inside the bundle (the overlay mount point).
    public let rootPath: String
    /// The configuration written to `config.json`.
    public private(set) var spec: RuntimeSpec
    private var mounted: [String] = []
    private var ownLayer: WritableLayer?
    private let lock = NSLock()

    /// Creates the bundle for `rootfs` under `parent` (the temporary directory by default).
    public convenience init(
        rootfs: RootFilesystem, config: ContainerConfig?, options: RunOptions, cgroupsPath: String? = nil,
        parent: String = FileManager.default.temporaryDirectory.path
    ) throws {
        try self.init(rootfs: rootfs, config: config, options: options, cgroupsPath: cgroupsPath, layer: nil, parent: parent)
    }

    /// Creates the bundle; with `layer`, the overlay's upper layer is that shared one instead of a private one.
    init(
        rootfs: RootFilesystem, config: ContainerConfig?, options: RunOptions, cgroupsPath: String?,
        layer: WritableLayer?, parent: String = FileManager.default.temporaryDirectory.path
    ) throws {
        let name = "\(ScratchPrefix.bundle)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        directory = URL(fileURLWithPath: parent).appendingPathComponent(name).path
        rootPath = directory + "/rootfs"
        spec = RuntimeSpec()
        guard !directory.contains(","), !directory.contains(":") else {
            throw RuntimeError.overlayUnavailable(reason: "the temporary directory '\(parent)' contains ',' or ':', which overlayfs options cannot carry; set TMPDIR to a plain path")
        }
        do {
            try create(rootfs: rootfs, layer: layer, size: options.writableSize)
            let hosts = directory + "/hosts"
            try write(Data("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n".utf8), to: hosts)
            let resolv = FileManager.default.fileExists(atPath: "/etc/resolv.conf") ? "/etc/resolv.conf" : nil
            spec = try SpecBuilder.spec(
                config: config, options: options, rootfs: rootfs,
                environment: .init(
                    rootPath: rootPath, hostsFile: hosts, hostResolvConf: resolv, cgroupsPath: cgroupsPath,
                    initBinary: options.useInit ? try InitBinary.locate() : nil))
            try write(try spec.jsonData(), to: directory + "/config.json")
        } catch {
            _ = try? remove()
            throw error
        }
    }

    /// Writes `process` as a JSON file in the bundle (for `runc exec --process`), returning its path.
    func writeProcess(_ process: RuntimeSpec.Process, name: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let path = directory + "/" + name
        try write(try encoder.encode(process), to: path)
        return path
    }

    /// Unmounts the root and deletes the bundle directory; safe to call more than once.
    public func remove() throws {
        let pending: [String] = lock.withLock { mounted }
        var failures: [String] = []
        for target in pending.reversed() {
            if umount2(target, 0) != 0 && errno != EINVAL && umount2(target, Int32(MNT_DETACH)) != 0 && errno != EINVAL {
                failures.append("\(target): \(errnoText(errno))")
            }
        }
        guard failures.isEmpty else {
            throw RuntimeError.io(path: directory, reason: "cannot unmount (\(failures.joined(separator: "; "))); the bundle is left in place")
        }
        lock.withLock { mounted = [] }
        if let layer = lock.withLock({ ownLayer }) {
            try layer.remove()
            lock.withLock { ownLayer = nil }
        }
        do {
            try FileTree.remove(path: directory)
        } catch {
            throw RuntimeError.io(path: directory, reason: "cannot remove the bundle: \(error)")
        }
    }

    private func create(rootfs: RootFilesystem, layer shared: WritableLayer?, size: Int64) throws {
        for path in [directory, rootPath] {
            guard mkdir(path, 0o700) == 0 else {
                throw RuntimeError.io(path: path, reason: "cannot create: \(errnoText(errno))")
            }
        }
        let layer: WritableLayer
        if let shared {
            layer = shared
        } else {
            layer = try WritableLayer(rootfs: rootfs, parent: directory, size: size)
            lock.withLock { ownLayer = layer }
        }
        let upper = layer.upper
        let work = layer.work
        // A symlink keeps the image path (which may hold ',' or ':') out of the mount options.
        let lower = directory + "/lower"
        guard symlink(rootfs.path, lower) == 0 else {
            throw RuntimeError.io(path: lower, reason: "cannot create: \(errnoText(errno))")
        }
        do {
            try mount(source: "overlay", target: rootPath, type: "overlay",
                      options: "lowerdir=\(lower),upperdir=\(upper),workdir=\(work)")
        } catch RuntimeError.processFailed(_, let code) {
            throw RuntimeError.overlayUnavailable(reason: "mount -t overlay: \(errnoText(code))")
        }
    }

    private func mount(source: String, target: String, type: String, options: String) throws {
        guard Glibc.mount(source, target, type, 0, options) == 0 else {
            let code = errno
            if code == EPERM && geteuid() != 0 { throw RuntimeError.notRoot(uid: geteuid()) }
            throw RuntimeError.processFailed(what: "mounting \(type) on \(target)", errno: code)
        }
        lock.withLock { mounted.append(target) }
    }

    private func write(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o644]) else {
            throw RuntimeError.io(path: path, reason: "cannot write")
        }
    }
}
