import ContainerRuntime
import Foundation
import Testing

@Suite("Reading the image's files and users from the unpacked root")
struct RootFilesystemTests {
    @Test("symlinks resolve inside the root, never on the host", arguments: [
        "/etc/os-release", "/etc/absolute", "/etc/climb", "/lib/os-release", "/usr/../../etc/os-release", "//lib//./os-release",
    ])
    func symlinks(path: String) throws {
        let rootfs = try TinyRootfs.make()
        defer { TinyRootfs.remove(rootfs) }
        #expect(try rootfs.hostPath(for: path) == rootfs.path + "/usr/lib/os-release")
        #expect(String(decoding: try rootfs.contents(of: path), as: UTF8.self) == "inside\n")
    }

    @Test("loops, dangling links, missing files and directories are reported, not followed out")
    func edges() throws {
        let rootfs = try TinyRootfs.make()
        defer { TinyRootfs.remove(rootfs) }
        #expect(throws: RuntimeError.unresolvablePath("/etc/hostname", reason: "too many levels of symbolic links")) {
            try rootfs.hostPath(for: "/etc/hostname")
        }
        #expect(try rootfs.status(of: "/etc/dangling") == nil)
        #expect(try rootfs.status(of: "/etc/dangling", followFinalSymlink: false)?.goModeString == "Lrwxrwxrwx")
        #expect(!rootfs.exists("/etc/shadow"))
        #expect(!rootfs.exists("/etc/passwd/x"))
        #expect(throws: RuntimeError.io(path: "/etc", reason: "is a directory, not a regular file")) {
            try rootfs.contents(of: "/etc")
        }
        #expect(throws: RuntimeError.rootfsNotFound(path: "/nonexistent-rootfs")) {
            try RootFilesystem(path: "/nonexistent-rootfs")
        }
    }

    @Test("Go FileMode strings", arguments: [
        (UInt32(0o040755), "drwxr-xr-x"), (0o041777, "dtrwxrwxrwx"), (0o100644, "-rw-r--r--"), (0o104755, "urwxr-xr-x"),
        (0o102755, "grwxr-xr-x"), (0o120777, "Lrwxrwxrwx"), (0o020666, "Dcrw-rw-rw-"), (0o060660, "Drw-rw----"),
        (0o010600, "prw-------"), (0o140755, "Srwxr-xr-x"), (0o100000, "----------"),
    ])
    func goModes(mode: UInt32, expected: String) {
        #expect(FileStatus(mode: mode, uid: 0, gid: 0, size: 0).goModeString == expected)
    }

    @Test("users resolve like Docker's", arguments: [
        (nil, ResolvedUser(uid: 0, gid: 0, home: "/root", name: "root")),
        ("", ResolvedUser(uid: 0, gid: 0, home: "/root", name: "root")),
        ("nonroot", ResolvedUser(uid: 65532, gid: 65532, additionalGids: [50], home: "/home/nonroot", name: "nonroot")),
        ("nonroot:nonroot", ResolvedUser(uid: 65532, gid: 65532, home: "/home/nonroot", name: "nonroot")),
        ("65532", ResolvedUser(uid: 65532, gid: 65532, additionalGids: [50], home: "/home/nonroot", name: "nonroot")),
        ("65532:65532", ResolvedUser(uid: 65532, gid: 65532, home: "/home/nonroot", name: "nonroot")),
        ("1234", ResolvedUser(uid: 1234, gid: 0, home: "/")),
        ("1234:staff", ResolvedUser(uid: 1234, gid: 50, home: "/")),
        ("nobody:7", ResolvedUser(uid: 65534, gid: 7, home: "/nonexistent", name: "nobody")),
    ] as [(String?, ResolvedUser)])
    func users(spec: String?, expected: ResolvedUser) throws {
        let rootfs = try TinyRootfs.make()
        defer { TinyRootfs.remove(rootfs) }
        #expect(try UserDatabase(rootfs: rootfs).resolve(spec) == expected)
    }

    @Test("unknown or malformed users are errors", arguments: [
        ("app", RuntimeError.unknownUser("app", file: "/etc/passwd")),
        ("nonroot:wheel", RuntimeError.unknownUser("wheel", file: "/etc/group")),
        ("nonroot:", RuntimeError.invalidUser("nonroot:")),
        (":50", RuntimeError.invalidUser(":50")),
    ])
    func badUsers(spec: String, error: RuntimeError) throws {
        let rootfs = try TinyRootfs.make()
        defer { TinyRootfs.remove(rootfs) }
        #expect(throws: error) { try UserDatabase(rootfs: rootfs).resolve(spec) }
    }

    @Test("an image without /etc/passwd still runs numeric users, not names")
    func noPasswd() throws {
        let users = UserDatabase(passwd: nil, group: nil)
        #expect(try users.resolve("65532:65532") == ResolvedUser(uid: 65532, gid: 65532))
        #expect(throws: RuntimeError.unknownUser("nonroot", file: "/etc/passwd")) { try users.resolve("nonroot") }
    }
}
