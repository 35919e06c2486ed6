/// What an SBOM says about one component, before it becomes a ``ScannedPackage``.
///
/// Tools say where a Debian binary package came from in different ways: Trivy in CycloneDX properties
/// (`aquasecurity:trivy:SrcName`, `SrcVersion`, `SrcRelease`, `SrcEpoch`) and in SPDX's `sourceInfo`
/// ("built package from: openssl 3.0.11-1~deb12u2"), Syft in the purl's `upstream` qualifier
/// (`upstream=openssl` or `upstream=zlib@1:1.2.13.dfsg-1`) and `syft:metadata:source*` properties.
struct SBOMComponent {
    var name: String
    var version: String?
    var purl: String?
    var properties: [String: String] = [:]
    var sourceInfo: String?

    /// The package to scan, nil for components with no purl of a known ecosystem or no version.
    func package() -> ScannedPackage? {
        guard let purl, let url = PackageURL(purl), let ecosystem = url.ecosystem else { return nil }
        guard var version = version ?? url.version, !version.isEmpty else { return nil }
        let name = url.type == "deb" ? (url.name.isEmpty ? self.name : url.name) : url.fullName
        guard ecosystem == "Debian" else { return ScannedPackage(name: name, version: version, ecosystem: ecosystem, purl: purl) }
        if let epoch = url.qualifiers["epoch"], epoch != "0", !version.contains(":") { version = "\(epoch):\(version)" }
        var sourceName: String?
        var sourceVersion: String?
        if let trivyName = properties["aquasecurity:trivy:SrcName"] {
            sourceName = trivyName
            if let upstream = properties["aquasecurity:trivy:SrcVersion"], !upstream.isEmpty {
                let epoch = properties["aquasecurity:trivy:SrcEpoch"].flatMap { $0 == "0" || $0.isEmpty ? nil : $0 }
                let release = properties["aquasecurity:trivy:SrcRelease"] ?? ""
                sourceVersion = (epoch.map { "\($0):" } ?? "") + upstream + (release.isEmpty ? "" : "-\(release)")
            }
        } else if let syftName = properties["syft:metadata:source"], !syftName.isEmpty {
            sourceName = syftName
            sourceVersion = properties["syft:metadata:sourceVersion"].flatMap { $0.isEmpty ? nil : $0 }
        } else if let upstream = url.qualifiers["upstream"], !upstream.isEmpty {
            let parts = upstream.split(separator: "@", maxSplits: 1).map(String.init)
            sourceName = parts[0]
            if parts.count == 2 { sourceVersion = parts[1] }
        } else if let info = sourceInfo, let range = info.range(of: "built package from: ") {
            let parts = info[range.upperBound...].split(separator: " ", maxSplits: 1).map(String.init)
            sourceName = parts.first
            if parts.count == 2 { sourceVersion = parts[1] }
        }
        return ScannedPackage(
            name: name, version: version, ecosystem: "Debian", sourceName: sourceName ?? name, sourceVersion: sourceVersion ?? version,
            purl: purl)
    }

    /// `debian` and `12.15` from a purl's `distro=debian-12.15` qualifier.
    var distro: (family: String, version: String)? {
        guard let purl, let url = PackageURL(purl), let distro = url.qualifiers["distro"] else { return nil }
        let parts = distro.split(separator: "-", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return (parts[0].lowercased(), parts[1])
    }
}
