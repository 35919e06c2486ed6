import ContainerRuntime
import Foundation

/// A few-file root filesystem for tests that only read it (users, symlinks).
enum TinyRootfs {
    static func make() throws -> RootFilesystem {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("distill-tiny-\(UUID().uuidString.prefix(8))")
        let fm = FileManager.default
        for directory in ["etc", "usr/lib", "home/nonroot", "srv"] {
            try fm.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        try Data("""
            root:x:0:0:root:/root:/sbin/nologin
            nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
            nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
            broken line
            """.utf8).write(to: root.appendingPathComponent("etc/passwd"))
        try Data("root:x:0:\nstaff:x:50:nonroot,other\nnonroot:x:65532:\nnogroup:x:65534:\n".utf8)
            .write(to: root.appendingPathComponent("etc/group"))
        try Data("inside\n".utf8).write(to: root.appendingPathComponent("usr/lib/os-release"))
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("etc/os-release").path, withDestinationPath: "../usr/lib/os-release")
        // Links that would escape the root on the host must stay inside it.
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("etc/absolute").path, withDestinationPath: "/usr/lib/os-release")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("etc/climb").path, withDestinationPath: "../../../../../../usr/lib/os-release")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("etc/hostname").path, withDestinationPath: "/etc/hostname")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("lib").path, withDestinationPath: "usr/lib")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("etc/dangling").path, withDestinationPath: "/nowhere")
        return try RootFilesystem(path: root.path)
    }

    static func remove(_ rootfs: RootFilesystem) {
        try? FileManager.default.removeItem(atPath: rootfs.path)
    }
}
