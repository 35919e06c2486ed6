import Foundation

/// CycloneDX and SPDX documents in the shapes Trivy and Syft write them (fields as those tools name them): the
/// cyclonedx and spdx targets' seeds, and what `SBOMReaderTests` reads.
public enum SBOMSeeds {
    static let cyclonedx = [FuzzSeed("trivy-cyclonedx", trivyCycloneDX), FuzzSeed("syft-cyclonedx", syftCycloneDX)]
    static let spdx = [FuzzSeed("trivy-spdx", trivySPDX), FuzzSeed("syft-spdx", syftSPDX)]

    public static let trivyCycloneDX = """
        {"$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json", "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
         "metadata": {"tools": {"components": [{"type": "application", "group": "aquasecurity", "name": "trivy", "version": "0.58.1"}]},
                      "component": {"bom-ref": "x", "type": "container", "name": "app:latest"}},
         "components": [
          {"bom-ref": "os", "type": "operating-system", "name": "debian", "version": "12.15",
           "properties": [{"name": "aquasecurity:trivy:Class", "value": "os-pkgs"}, {"name": "aquasecurity:trivy:Type", "value": "debian"}]},
          {"bom-ref": "a", "type": "library", "name": "libssl3", "version": "3.0.20-1~deb12u2",
           "purl": "pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&distro=debian-12.15",
           "properties": [{"name": "aquasecurity:trivy:SrcName", "value": "openssl"}, {"name": "aquasecurity:trivy:SrcRelease", "value": "1~deb12u2"},
                          {"name": "aquasecurity:trivy:SrcVersion", "value": "3.0.20"}]},
          {"bom-ref": "b", "type": "library", "name": "zlib1g", "version": "1:1.2.13.dfsg-1+b1",
           "purl": "pkg:deb/debian/zlib1g@1.2.13.dfsg-1%2Bb1?arch=amd64&distro=debian-12.15&epoch=1",
           "properties": [{"name": "aquasecurity:trivy:SrcEpoch", "value": "1"}, {"name": "aquasecurity:trivy:SrcName", "value": "zlib"},
                          {"name": "aquasecurity:trivy:SrcRelease", "value": "1"}, {"name": "aquasecurity:trivy:SrcVersion", "value": "1.2.13.dfsg"}]},
          {"bom-ref": "c", "type": "library", "name": "Jinja2", "version": "2.10", "purl": "pkg:pypi/jinja2@2.10"},
          {"bom-ref": "d", "type": "library", "name": "golang.org/x/net", "version": "v0.22.0", "purl": "pkg:golang/golang.org/x/net@v0.22.0"}
         ]}
        """

    public static let syftCycloneDX = """
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
         "metadata": {"component": {"type": "container", "name": "app"}},
         "components": [
          {"type": "library", "name": "libssl3", "version": "3.0.20-1~deb12u2",
           "purl": "pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12",
           "properties": [{"name": "syft:package:type", "value": "deb"}, {"name": "syft:metadata:source", "value": "openssl"}]},
          {"type": "library", "name": "zlib1g", "version": "1:1.2.13.dfsg-1+b1",
           "purl": "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1%2Bb1?arch=amd64&upstream=zlib%401%3A1.2.13.dfsg-1&distro=debian-12"},
          {"type": "library", "name": "Jinja2", "version": "2.10", "purl": "pkg:pypi/Jinja2@2.10"},
          {"type": "library", "name": "golang.org/x/net", "version": "v0.22.0", "purl": "pkg:golang/golang.org/x/net@v0.22.0"},
          {"type": "operating-system", "name": "debian", "version": "12"}
         ]}
        """

    public static let trivySPDX = """
        {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "app:latest",
         "packages": [
          {"name": "debian", "SPDXID": "SPDXRef-OperatingSystem-1", "versionInfo": "12.15", "downloadLocation": "NONE", "primaryPackagePurpose": "OPERATING-SYSTEM"},
          {"name": "libssl3", "SPDXID": "SPDXRef-Package-1", "versionInfo": "3.0.20-1~deb12u2", "downloadLocation": "NONE",
           "sourceInfo": "built package from: openssl 3.0.20-1~deb12u2", "primaryPackagePurpose": "LIBRARY",
           "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                             "referenceLocator": "pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&distro=debian-12.15"}]},
          {"name": "zlib1g", "SPDXID": "SPDXRef-Package-2", "versionInfo": "1:1.2.13.dfsg-1+b1", "downloadLocation": "NONE",
           "sourceInfo": "built package from: zlib 1:1.2.13.dfsg-1",
           "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                             "referenceLocator": "pkg:deb/debian/zlib1g@1.2.13.dfsg-1%2Bb1?arch=amd64&distro=debian-12.15&epoch=1"}]},
          {"name": "Jinja2", "SPDXID": "SPDXRef-Package-3", "versionInfo": "2.10", "downloadLocation": "NONE",
           "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/jinja2@2.10"}]},
          {"name": "golang.org/x/net", "SPDXID": "SPDXRef-Package-4", "versionInfo": "v0.22.0", "downloadLocation": "NONE",
           "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:golang/golang.org/x/net@v0.22.0"}]}
         ]}
        """

    public static let syftSPDX = """
        {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "app",
         "packages": [
          {"name": "libssl3", "SPDXID": "SPDXRef-Package-deb-libssl3", "versionInfo": "3.0.20-1~deb12u2", "downloadLocation": "NOASSERTION",
           "sourceInfo": "acquired package info from DPKG DB: /var/lib/dpkg/status.d/libssl3",
           "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:libssl3:libssl3:3.0.20-1~deb12u2:*:*:*:*:*:*:*"},
                            {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                             "referenceLocator": "pkg:deb/debian/libssl3@3.0.20-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12"}]},
          {"name": "zlib1g", "SPDXID": "SPDXRef-Package-deb-zlib1g", "versionInfo": "1:1.2.13.dfsg-1+b1", "downloadLocation": "NOASSERTION",
           "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                             "referenceLocator": "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1%2Bb1?arch=amd64&upstream=zlib%401%3A1.2.13.dfsg-1&distro=debian-12"}]},
          {"name": "Jinja2", "SPDXID": "SPDXRef-Package-python-Jinja2", "versionInfo": "2.10", "downloadLocation": "NOASSERTION",
           "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/Jinja2@2.10"}]},
          {"name": "golang.org/x/net", "SPDXID": "SPDXRef-Package-go-module", "versionInfo": "v0.22.0", "downloadLocation": "NOASSERTION",
           "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:golang/golang.org/x/net@v0.22.0"}]}
         ]}
        """
}
