import ContainerRuntime
import Foundation
import ImageFormat
import TestSupport

/// A distroless-like python3 root filesystem (amd64) built from the frozen mirror's .debs, with the
/// users, groups, directories, CA bundle and os-release of Google's distroless images.
struct PythonFixture: Sendable {
    let name: String
    let packages: [String]
    let interpreter: String
    let versionID: String
    let codename: String

    /// Debian 12: python3.11 and its library closure.
    static let bookworm = PythonFixture(
        name: "python3-bookworm-amd64",
        packages: [
            "base-files_12.", "netbase_6.4", "tzdata_2026b", "media-types_10.", "ca-certificates_20230311",
            "libc6_2.36", "libssl3_3.0", "libgcc-s1_12.", "zlib1g_1.2.13", "libffi8_3.4.4", "libexpat1_2.5",
            "libbz2-1.0_1.0.8-5", "liblzma5_5.4", "libsqlite3-0_3.40", "libncursesw6_6.4", "libtinfo6_6.4",
            "libreadline8_8.2-1", "libuuid1_2.38", "libcrypt1_4.4", "libdb5.3_5.3", "libgdbm6_1.23",
            "libgdbm-compat4_1.23", "libnsl2_1.3", "libtirpc3_1.3", "libtirpc-common_1.3", "libgssapi-krb5-2_1.20",
            "libk5crypto3_1.20", "libkrb5-3_1.20", "libkrb5support0_1.20", "libkeyutils1_1.6", "libcom-err2_1.47",
            "libmpdec4_4.0", "libpython3.11-minimal_", "libpython3.11-stdlib_", "python3.11-minimal_", "python3.11_",
        ],
        interpreter: "python3.11", versionID: "12", codename: "bookworm")

    /// Debian 13: python3.13 and its library closure.
    static let trixie = PythonFixture(
        name: "python3-trixie-amd64",
        packages: [
            "base-files_13.", "netbase_6.5", "tzdata_2026c", "tzdata-legacy_2026c", "media-types_13.",
            "ca-certificates_20250419", "libc6_2.41", "libssl3t64_3.5", "openssl-provider-legacy_3.5", "libzstd1_1.5.7",
            "libgcc-s1_14.", "zlib1g_1.3", "libffi8_3.4.8", "libexpat1_2.8", "libbz2-1.0_1.0.8-6", "liblzma5_5.8",
            "libsqlite3-0_3.46", "libncursesw6_6.5", "libtinfo6_6.5", "libreadline8t64_8.2", "libuuid1_2.41",
            "libdb5.3t64_5.3", "libpython3.13-minimal_", "libpython3.13-stdlib_", "python3.13-minimal_", "python3.13_",
        ],
        interpreter: "python3.13", versionID: "13", codename: "trixie")

    /// The image configuration distill's python3 preset gives (user 65532, workdir /home/nonroot).
    var image: ImageConfiguration {
        ImageConfiguration(
            architecture: "amd64",
            config: ContainerConfig(
                user: "65532",
                env: [
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
                ],
                entrypoint: ["/usr/bin/\(interpreter)"],
                workingDir: "/home/nonroot"),
            rootfs: RootFS(diffIDs: []))
    }

    /// Builds (once, cached under the temporary directory) and returns the root filesystem directory.
    func rootfs() throws -> String {
        try DebianRootfsFixture.rootfs(
            name: name, version: 1, debs: try DebianRootfsFixture.debs(packages), customize: distrolessify
        ).path
    }

    /// A hard-link copy of the fixture to break on purpose; the caller removes it.
    func clone() throws -> String {
        try DebianRootfsFixture.hardLinkClone(of: URL(fileURLWithPath: rootfs())).path
    }

    /// What distroless adds on top of the packages.
    private func distrolessify(_ root: URL) throws {
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
            VERSION_ID="\(versionID)"
            VERSION="Debian GNU/Linux \(versionID) (\(codename))"
            HOME_URL="https://github.com/GoogleContainerTools/distroless"

            """)
        // The CA bundle that update-ca-certificates would have written.
        let mozilla = root.appendingPathComponent("usr/share/ca-certificates/mozilla")
        let certificates = try fm.contentsOfDirectory(atPath: mozilla.path).sorted()
            .map { try String(contentsOf: mozilla.appendingPathComponent($0), encoding: .utf8) }
        try write("etc/ssl/certs/ca-certificates.crt", certificates.joined())
        for link in ["python3", "python"] {
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("usr/bin/\(link)").path, withDestinationPath: interpreter)
        }
        for (path, mode, owner) in [("tmp", 0o1777, 0), ("root", 0o700, 0), ("home/nonroot", 0o700, 65532)] {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url, withIntermediateDirectories: true)
            try fm.setAttributes(
                [.posixPermissions: mode, .ownerAccountID: owner, .groupOwnerAccountID: owner], ofItemAtPath: url.path)
        }
    }
}

/// Runs `python3 -c CODE` in the bookworm fixture with runc: what most runtime tests do.
struct PythonContainer: Sendable {
    let runner: ContainerRunner
    let rootfs: String

    init() throws {
        runner = try ContainerRunner()
        rootfs = try PythonFixture.bookworm.rootfs()
    }

    func python(_ code: String, _ options: RunOptions = RunOptions()) async throws -> ContainerResult {
        var options = options
        options.args = ["-c", code]
        return try await runner.run(rootfs: rootfs, image: PythonFixture.bookworm.image, options: options)
    }
}
