/// Package URLs (purl) for cataloged packages, percent-encoded as the purl specification asks.
public enum PackageURL {
    /// `pkg:deb/debian/NAME@VERSION?arch=…&distro=debian-12`, `pkg:pypi/NAME@VERSION`,
    /// `pkg:golang/MODULE@VERSION`, `pkg:apk/alpine/NAME@VERSION?arch=…&distro=…`.
    public static func of(_ package: CatalogedPackage, distribution: Distribution?) -> String {
        switch package.ecosystem {
        case .debian:
            let vendor = distribution?.id == "ubuntu" ? "ubuntu" : "debian"
            var qualifiers: [(String, String)] = []
            if let arch = package.architecture { qualifiers.append(("arch", arch)) }
            if let distribution, let version = distribution.versionID { qualifiers.append(("distro", "\(distribution.id)-\(version)")) }
            return make(type: "deb", namespace: [vendor], name: package.name, version: package.version, qualifiers: qualifiers)
        case .python:
            return make(type: "pypi", namespace: [], name: PythonCataloger.normalize(package.name), version: package.version)
        case .go:
            var segments = package.name.split(separator: "/").map(String.init)
            let name = segments.popLast() ?? package.name
            let version = package.version == "(devel)" ? nil : package.version
            return make(type: "golang", namespace: segments, name: name, version: version)
        case .alpine:
            var qualifiers: [(String, String)] = []
            if let arch = package.architecture { qualifiers.append(("arch", arch)) }
            if let version = distribution?.versionID { qualifiers.append(("distro", version)) }
            return make(type: "apk", namespace: ["alpine"], name: package.name, version: package.version, qualifiers: qualifiers)
        }
    }

    /// `pkg:oci/NAME@DIGEST?arch=…`: the image itself.
    public static func image(name: String, digest: String, architecture: String) -> String {
        make(type: "oci", namespace: [], name: name, version: digest, qualifiers: [("arch", architecture)])
    }

    /// Assembles a purl; qualifiers are sorted by key, empty values dropped.
    public static func make(type: String, namespace: [String], name: String, version: String?, qualifiers: [(String, String)] = []) -> String {
        var text = "pkg:" + type + "/"
        for segment in namespace where !segment.isEmpty { text += encode(segment) + "/" }
        text += encode(name)
        if let version, !version.isEmpty { text += "@" + encode(version, keeping: ":") }
        let pairs = qualifiers.filter { !$0.1.isEmpty }.sorted { $0.0 < $1.0 }
        if !pairs.isEmpty { text += "?" + pairs.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&") }
        return text
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (and those in `keeping`).
    static func encode(_ text: String, keeping: String = "") -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            let isUnreserved =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if isUnreserved || (byte < 0x80 && keeping.unicodeScalars.contains(scalar)) {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
