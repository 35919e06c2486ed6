import Archive
import Debian
import Foundation

/// The distroless presets: which Debian packages they start from and the files they add.
public enum Preset {
    /// A preset's name as written in the build file's `base:`.
    public enum Name: String, Sendable, CaseIterable, Equatable {
        case `static`, baseNossl = "base-nossl", base, cc, python3
    }

    /// Root packages of `preset` on `distro`; their dependencies are resolved on top.
    public static func packages(_ preset: Name, distro: DebianDistro) -> [String] {
        let trixie = distro == .debian13
        let staticSet = ["base-files", "netbase", "tzdata", "media-types", "ca-certificates"] + (trixie ? ["tzdata-legacy"] : [])
        switch preset {
        case .static: return staticSet
        case .baseNossl: return staticSet + ["libc6"]
        case .base: return packages(.baseNossl, distro: distro) + (trixie ? ["libssl3t64", "libzstd1", "zlib1g"] : ["libssl3"])
        case .cc: return packages(.base, distro: distro) + ["libgcc-s1", "libstdc++6", "libgomp1"]
        case .python3: return packages(.base, distro: distro) + [pythonPackage(distro)]
        }
    }

    /// The interpreter package of the distro (`python3.11` on debian12, `python3.13` on debian13).
    public static func pythonPackage(_ distro: DebianDistro) -> String { distro == .debian12 ? "python3.11" : "python3.13" }

    /// Packages that contribute data only: their files (filtered) go in, their dependencies are not followed.
    /// ca-certificates depends on openssl and debconf to run its scripts; the image needs only the bundle.
    public static let dataOnlyPackages: Set<String> = ["ca-certificates"]

    /// Paths kept from a data-only package; everything else it ships is left out.
    static func keepsFromDataOnly(_ package: String, _ path: String) -> Bool {
        path.hasPrefix("usr/share/doc/\(package)/copyright")
    }

    static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    static let certificateBundle = "etc/ssl/certs/ca-certificates.crt"
    static let nonrootUID: Int64 = 65532

    /// The files every image gets: accounts, os-release, nsswitch, /tmp and the home directories.
    static func skeleton(distro: DebianDistro, accounts: Accounts, python: String?, debug: Bool = false) -> [(String, LayerNode)] {
        var users: [(String, Int64, Int64, String)] = [
            ("root", 0, 0, "/root"), ("nobody", 65534, 65534, "/nonexistent"), ("nonroot", nonrootUID, nonrootUID, "/home/nonroot"),
        ]
        users += accounts.users.map { ($0.name, $0.uid, $0.gid, $0.home) }
        var groups: [(String, Int64)] = [("root", 0), ("nobody", 65534), ("tty", 5), ("staff", 50), ("nonroot", nonrootUID)]
        groups += accounts.groups.map { ($0.name, $0.gid) }
        let passwd = users.map { "\($0.0):x:\($0.1):\($0.2):\($0.0):\($0.3):/sbin/nologin\n" }.joined()
        let group = groups.map { "\($0.0):x:\($0.1):\n" }.joined()
        var files: [(String, LayerNode)] = [
            ("etc/passwd", .file(.bytes(Data(passwd.utf8)))),
            ("etc/group", .file(.bytes(Data(group.utf8)))),
            ("etc/nsswitch.conf", .file(.bytes(Data(nsswitch.utf8)))),
            ("usr/lib/os-release", .file(.bytes(Data(osRelease(distro).utf8)))),
            ("etc/os-release", .symlink(to: "../usr/lib/os-release")),
            ("tmp", .directory(mode: 0o1777)),
            ("root", .directory(mode: 0o700)),
            ("home", .directory(mode: 0o755)),
            ("var/lib/dpkg/status.d", .directory(mode: 0o755)),
        ]
        for user in users where user.3.hasPrefix("/home/") {
            files.append((String(user.3.dropFirst()), .directory(mode: 0o700, uid: user.1, gid: user.2)))
        }
        if let python {
            files.append(("usr/bin/python3", .symlink(to: python)))
            files.append(("usr/bin/python", .symlink(to: python)))
        }
        if debug { files += DebugShell.skeleton }
        return files
    }

    static func osRelease(_ distro: DebianDistro) -> String {
        """
        PRETTY_NAME="Distroless"
        NAME="Debian GNU/Linux"
        ID="debian"
        VERSION_ID="\(distro.versionNumber)"
        VERSION="Debian GNU/Linux \(distro.versionNumber) (\(distro.codename))"
        VERSION_CODENAME=\(distro.codename)
        HOME_URL="https://www.debian.org/"
        SUPPORT_URL="https://www.debian.org/support"
        BUG_REPORT_URL="https://bugs.debian.org/"

        """
    }

    static let nsswitch = """
        # /etc/nsswitch.conf
        passwd:         files
        group:          files
        shadow:         files
        gshadow:        files

        hosts:          files dns
        networks:       files

        protocols:      db files
        services:       db files
        ethers:         db files
        rpc:            db files

        netgroup:       nis

        """
}
