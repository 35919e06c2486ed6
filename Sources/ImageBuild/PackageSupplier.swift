import Foundation
import ImageFormat

/// One exact Debian package of an image, as the lock file pins it.
struct PinnedPackage: Sendable, Equatable {
    var name: String
    var version: String
    var architecture: String
    var sha256: Digest
}

/// What the build needs from Debian: the package set, the verified .debs, and their contents.
protocol PackageSupplier: Sendable {
    /// The packages of `architecture`, from the lock file or resolved (and then locked).
    func packages(for architecture: String) async throws -> [PinnedPackage]
    /// Local paths of the verified .debs, in the same order.
    func fetch(_ packages: [PinnedPackage]) async throws -> [String]
    /// The package's files staged under `staging`, its control stanza and md5sums.
    func unpack(_ deb: String, package: PinnedPackage, staging: String) throws -> UnpackedPackage
    /// When the package was built (the date its .deb carries).
    func buildDate(of deb: String) throws -> Int64
}
