import Foundation
import ImageFormat
import Testing

@testable import SBOM

/// The catalogers on records written by hand: each rule the issue states about the formats.
struct CatalogerTests {
    private func files(_ entries: [(String, String)], layer: Int = 0) -> [String: CollectedFile] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.0, CollectedFile(path: $0.0, layer: layer, data: Data($0.1.utf8))) })
    }

    @Test func dpkgStatusKeepsOnlyInstalledStanzasAndReadsSource() {
        let status = """
            Package: libc6
            Status: install ok installed
            Architecture: amd64
            Source: glibc (2.36-9+deb12u4)
            Version: 2.36-9+deb12u4+b1
            Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>

            Package: removed
            Status: deinstall ok config-files
            Version: 1.0

            Package: zlib1g
            Status: install ok installed
            Architecture: amd64
            Source: zlib
            Version: 1:1.2.13.dfsg-1

            """
        let packages = DebianCataloger.catalog(files([("var/lib/dpkg/status", status)]), statusHistory: [])
        #expect(packages.map(\.name) == ["libc6", "zlib1g"])
        #expect(packages[0].sourceName == "glibc" && packages[0].sourceVersion == "2.36-9+deb12u4")
        #expect(packages[0].version == "2.36-9+deb12u4+b1")
        #expect(packages[1].sourceName == "zlib" && packages[1].sourceVersion == "1:1.2.13.dfsg-1")
    }

    @Test func statusDRecordsWithoutStatusCountAsInstalledAndMd5sumsAreSkipped() {
        #expect(DebianCataloger.wants("var/lib/dpkg/status.d/libssl3"))
        #expect(DebianCataloger.wants("var/lib/dpkg/status.d/libpython3.11-minimal"))
        #expect(!DebianCataloger.wants("var/lib/dpkg/status.d/libssl3.md5sums"))
        #expect(DebianCataloger.wants("usr/share/doc/libssl3/copyright"))
        #expect(!DebianCataloger.wants("usr/share/doc/libssl3/changelog.gz"))
        let packages = DebianCataloger.catalog(
            files([("var/lib/dpkg/status.d/tzdata", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n")]),
            statusHistory: [])
        #expect(packages.map(\.name) == ["tzdata"])
        #expect(packages[0].sourceName == "tzdata" && packages[0].sourceVersion == "2024a-0+deb12u1")
    }

    @Test func machineReadableCopyrightGivesLicensesFreeFormGivesNone() {
        let dep5 = """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
            Upstream-Name: thing

            Files: *
            Copyright: 2020 Someone
            License: GPL-2+ or Artistic

            Files: debian/*
            License: public-domain

            License: GPL-2+
             On Debian systems…

            """
        let found = DebianCataloger.catalog(
            files([
                ("var/lib/dpkg/status.d/thing", "Package: thing\nVersion: 1\n"),
                ("usr/share/doc/thing/copyright", dep5),
                ("var/lib/dpkg/status.d/other", "Package: other\nVersion: 2\n"),
                ("usr/share/doc/other/copyright", "This package was debianized by someone.\nIt is GPL.\n"),
            ]), statusHistory: [])
        #expect(found.first { $0.name == "thing" }?.licenses == ["Artistic", "GPL-2+", "public-domain"])
        #expect(found.first { $0.name == "other" }?.licenses == [])
        #expect(LicenseNames.spdxID("GPL-2+") == "GPL-2.0-or-later")
        #expect(LicenseNames.spdxID("Expat") == "MIT")
        #expect(LicenseNames.spdxID("public-domain") == nil)
        #expect(LicenseNames.reference("public domain") == "LicenseRef-public-domain")
    }

    @Test func aPackageIsAttributedToTheLayerThatFirstListedIt() {
        let base = "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
        let both = base + "Package: b\nStatus: install ok installed\nVersion: 2\n"
        let history = [
            CollectedFile(path: "var/lib/dpkg/status", layer: 0, data: Data(base.utf8)),
            CollectedFile(path: "var/lib/dpkg/status", layer: 2, data: Data(both.utf8)),
        ]
        let packages = DebianCataloger.catalog(["var/lib/dpkg/status": history[1]], statusHistory: history)
        #expect(packages.map { "\($0.name)@\($0.layer)" }.sorted() == ["a@0", "b@2"])
    }

    @Test(arguments: [
        ("Flask", "flask"), ("zope.interface", "zope-interface"), ("Typing_Extensions", "typing-extensions"), ("a-_.b", "a-b"),
    ])
    func pythonNamesAreNormalizedPerPEP503(_ name: String, _ normalized: String) {
        #expect(PythonCataloger.normalize(name) == normalized)
    }

    @Test func pythonMetadataFromDistInfoAndEggInfo() {
        let metadata = "Metadata-Version: 2.1\nName: MarkupSafe\nVersion: 2.1.5\nLicense: BSD-3-Clause\nAuthor: Pallets\n\nLong description: Name: x\n"
        let egg = "Metadata-Version: 1.1\nName: python_apt\nVersion: 2.6.0\nLicense: GPL\nClassifier: License :: OSI Approved :: MIT License\n"
        let packages = PythonCataloger.catalog(
            files([
                ("usr/lib/python3/dist-packages/MarkupSafe-2.1.5.dist-info/METADATA", metadata),
                ("usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info", egg),
                ("usr/lib/python3/dist-packages/broken.dist-info/METADATA", "Metadata-Version: 2.1\n"),
            ])
        ).sorted { $0.name < $1.name }
        #expect(packages.map(\.name) == ["markupsafe", "python-apt"])
        #expect(packages.map(\.version) == ["2.1.5", "2.6.0"])
        #expect(packages[0].licenses == ["BSD-3-Clause"])
        #expect(PackageURL.of(packages[1], distribution: nil) == "pkg:pypi/python-apt@2.6.0")
    }

    @Test func alpineDatabase() {
        let installed = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\nP:busybox-binsh\nV:1.36.1-r5\nA:x86_64\nL:GPL-2.0-only\no:busybox\n\n"
        let packages = AlpineCataloger.catalog(files([("lib/apk/db/installed", installed)]))
        #expect(packages.map(\.name) == ["musl", "busybox-binsh"])
        #expect(packages[1].sourceName == "busybox")
        let alpine = Distribution(id: "alpine", versionID: "3.19.1", prettyName: nil)
        #expect(PackageURL.of(packages[0], distribution: alpine) == "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.19.1")
    }

    @Test func debianPurlsEncodeAsThePurlSpecSays() {
        let bookworm = Distribution(id: "debian", versionID: "12", prettyName: nil)
        let zlib = CatalogedPackage(ecosystem: .debian, name: "zlib1g", version: "1:1.2.13.dfsg-1", architecture: "amd64", location: "x", layer: 0)
        #expect(PackageURL.of(zlib, distribution: bookworm) == "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12")
        let libc = CatalogedPackage(ecosystem: .debian, name: "libc6", version: "2.36-9+deb12u4", architecture: "amd64", location: "x", layer: 0)
        #expect(PackageURL.of(libc, distribution: bookworm) == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12")
        let module = CatalogedPackage(ecosystem: .go, name: "github.com/spf13/cobra", version: "v1.8.0", location: "x", layer: 0)
        #expect(PackageURL.of(module, distribution: nil) == "pkg:golang/github.com/spf13/cobra@v1.8.0")
    }

    @Test func osReleaseFromEitherPlace() {
        let text = "PRETTY_NAME=\"Distroless\"\nID=\"debian\"\nVERSION_ID=\"12\"\n"
        #expect(OSRelease.distribution(files([("usr/lib/os-release", text)])) == Distribution(id: "debian", versionID: "12", prettyName: "Distroless"))
        #expect(OSRelease.distribution(files([("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n")]))?.versionID == "3.20.0")
    }
}

/// A package recorded twice still gives documents whose ids are unique.
struct DuplicateRecordTests {
    @Test func idsAndReferencesStayUnique() {
        let package = CatalogedPackage(ecosystem: .debian, name: "a", version: "1", architecture: "amd64", location: "var/lib/dpkg/status", layer: 0)
        let subject = ImageSubject(
            name: "x", manifestDigest: Digest.sha256(of: Data("m".utf8)), configDigest: Digest.sha256(of: Data("c".utf8)),
            architecture: "amd64", os: "linux", created: nil, layerDigests: [], diffIDs: [])
        let catalog = ImageCatalog(subject: subject, distribution: nil, packages: [package, package, package])
        let ids = SPDXWriter.document(for: catalog).packages?.map(\.SPDXID) ?? []
        #expect(Set(ids).count == 4)
        let refs = CycloneDXWriter.bom(for: catalog).components?.compactMap(\.bomRef) ?? []
        #expect(Set(refs).count == 3)
    }
}
