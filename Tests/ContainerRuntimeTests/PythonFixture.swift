import ContainerRuntime
import Foundation
import ImageFormat
import TestSupport

/// A distroless-like python3 root filesystem (Debian 12, amd64) built from the frozen mirror's .debs,
/// with the users, groups, directories and os-release of Google's distroless images.
enum PythonFixture {
    /// The .debs of the bookworm python3.11 closure distroless's python3 image is made of.
    static let packages = [
        "base-files_12.", "netbase_6.4", "tzdata_2026b", "media-types_10.", "ca-certificates_20230311",
        "libc6_2.36", "libssl3_3.0", "libgcc-s1_12.", "zlib1g_1.2.13", "libffi8_3.4.4", "libexpat1_2.5",
        "libbz2-1.0_1.0.8-5", "liblzma5_5.4", "libsqlite3-0_3.40", "libncursesw6_6.4", "libtinfo6_6.4",
        "libreadline8_8.2-1", "libuuid1_2.38", "libcrypt1_4.4", "libdb5.3_5.3", "libgdbm6_1.23",
        "libgdbm-compat4_1.23", "libnsl2_1.3", "libtirpc3_1.3", "libtirpc-common_1.3", "libgssapi-krb5-2_1.20",
        "libk5crypto3_1.20", "libkrb5-3_1.20", "libkrb5support0_1.20", "libkeyutils1_1.6", "libcom-err2_1.47",
        "libmpdec4_4.0", "libpython3.11-minimal_", "libpython3.11-stdlib_", "python3.11-minimal_", "python3.11_",
    ]

    /// The image configuration distill's python3 preset gives (user 65532, workdir /home/nonroot).
    static let image = ImageConfiguration(
        architecture: "amd64",
        config: ContainerConfig(
            user: "65532",
            env: [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
            ],
            entrypoint: ["/usr/bin/python3.11"],
            workingDir: "/home/nonroot"),
        rootfs: RootFS(diffIDs: []))

    /// Builds (once, cached under the temporary directory) and returns the root filesystem directory.
    static func rootfs() throws -> String {
        try cached.get()
    }

    private static let cached: Result<String, any Error> = Result {
        try DebianRootfsFixture.rootfs(
            name: "python3-bookworm-amd64", version: 1, debs: try DebianRootfsFixture.debs(packages),
            customize: distrolessify
        ).path
    }

    /// What distroless adds on top of the packages.
    private static func distrolessify(_ root: URL) throws {
        let fm = FileManager.default
        func write(_ path: String, _ text: String, mode: Int = 0o644) throws {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? fm.removeItem(at: url)
            try Data(text.utf8).write(to: url)
            try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        }
        try write("etc/passwd", """
            root:x:0:0:root:/root:/sbin/nologin
            nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
            nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin

            """)
        try write("etc/group", """
            root:x:0:
            nobody:x:65534:
            tty:x:5:
            staff:x:50:
            nonroot:x:65532:

            """)
        // /etc/os-release stays base-files' symlink to ../usr/lib/os-release; the target is replaced.
        try write("usr/lib/os-release", """
            PRETTY_NAME="Distroless"
            NAME="Debian GNU/Linux"
            ID="debian"
            VERSION_ID="12"
            VERSION="Debian GNU/Linux 12 (bookworm)"
            HOME_URL="https://github.com/GoogleContainerTools/distroless"

            """)
        // The CA bundle that update-ca-certificates would have written.
        let mozilla = root.appendingPathComponent("usr/share/ca-certificates/mozilla")
        let certificates = try fm.contentsOfDirectory(atPath: mozilla.path).sorted()
            .map { try String(contentsOf: mozilla.appendingPathComponent($0), encoding: .utf8) }
        try write("etc/ssl/certs/ca-certificates.crt", certificates.joined())
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("usr/bin/python3").path, withDestinationPath: "python3.11")

        for (path, mode, owner) in [("tmp", 0o1777, 0), ("root", 0o700, 0), ("home/nonroot", 0o700, 65532)] {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url, withIntermediateDirectories: true)
            try fm.setAttributes(
                [.posixPermissions: mode, .ownerAccountID: owner, .groupOwnerAccountID: owner], ofItemAtPath: url.path)
        }
    }

    /// A hard-link copy of the fixture to break on purpose; removed by the caller.
    static func clone() throws -> String {
        try DebianRootfsFixture.hardLinkClone(of: URL(fileURLWithPath: rootfs())).path
    }
}
