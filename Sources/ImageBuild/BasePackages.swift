import Debian
import Foundation

/// Which of the locked Debian packages a base image already has: a package its dpkg database lists as installed,
/// for this architecture (or `all`), at the locked version or a newer one, is not installed again.
///
/// The lock keeps the whole resolution (it does not depend on the base's contents), so a new base digest changes
/// only what is skipped, never what is locked. A base holding an older version gets the locked one on top.
enum BasePackages {
    /// The packages to install, and those skipped as `name version (base has version)`.
    static func split(
        _ packages: [PackageDownload], installed: [String: (version: String, architecture: String?)], architecture: String
    ) -> (install: [PackageDownload], skipped: [String]) {
        var install: [PackageDownload] = []
        var skipped: [String] = []
        for package in packages {
            guard let have = installed[package.name], have.architecture.map({ $0 == architecture || $0 == "all" }) ?? true,
                let haveVersion = try? DebianVersion(have.version), let wanted = try? DebianVersion(package.version),
                haveVersion >= wanted
            else {
                install.append(package)
                continue
            }
            skipped.append(have.version == package.version ? package.name : "\(package.name) (base has \(have.version), locked \(package.version))")
        }
        return (install, skipped)
    }
}
