import Archive
import Foundation
import Testing

@testable import ImageBuild

@Test func filesUnderALinkedDirectoryLandInItsTarget() {
    var tree = LayerTree()
    tree.insert(.directory(), at: "usr/lib")
    tree.insert(.symlink(to: "usr/lib"), at: "lib")
    tree.insert(.symlink(to: "/usr/lib"), at: "lib64")
    OSLayer.insert(.file(.bytes(Data("x".utf8))), at: "lib/x86_64-linux-gnu/libc.so.6", into: &tree)
    OSLayer.insert(.file(.bytes(Data("y".utf8))), at: "lib64/ld.so", into: &tree)
    #expect(tree["usr/lib/x86_64-linux-gnu/libc.so.6"] != nil)
    #expect(tree["usr/lib/ld.so"] != nil)
    #expect(tree["lib"]?.kind == .symlink(target: "usr/lib"))
    // The link itself can still be replaced when it is the last component.
    OSLayer.insert(.symlink(to: "elsewhere"), at: "lib", into: &tree)
    #expect(tree["lib"]?.kind == .symlink(target: "elsewhere"))
}

@Test func caBundleConcatenatesCertificatesInNameOrderWithNewlines() throws {
    let bundle = try OSLayer.bundle([
        ("usr/share/ca-certificates/mozilla/B.crt", .bytes(Data("B".utf8))),
        ("usr/share/ca-certificates/mozilla/A.crt", .bytes(Data("A\n".utf8))),
    ])
    #expect(String(decoding: bundle, as: UTF8.self) == "A\nB\n")
}

@Test func dataOnlyPackagesContributeOnlyTheirCopyrightAndTheBundle() throws {
    let pem = FileContent.bytes(Data("-----BEGIN CERTIFICATE-----\n".utf8))
    let package = UnpackedPackage(
        name: "ca-certificates",
        entries: [
            ("usr/share/ca-certificates/mozilla/X.crt", .file(pem)),
            ("usr/sbin/update-ca-certificates", .file(.bytes(Data("#!/bin/sh".utf8)), mode: 0o755)),
            ("usr/share/doc/ca-certificates/copyright", .file(.bytes(Data("c".utf8)))),
        ],
        status: [
            ("var/lib/dpkg/status.d/ca-certificates", .file(.bytes(Data("Package: ca-certificates\nVersion: 1\n".utf8)))),
            ("var/lib/dpkg/status.d/ca-certificates.md5sums", .file(.bytes(Data("abc  usr/sbin/x\n".utf8)))),
        ])
    let tree = try OSLayer.tree(packages: [package], skeleton: Preset.skeleton(distro: .debian12, accounts: Accounts(), python: nil))
    #expect(tree["usr/sbin/update-ca-certificates"] == nil)
    #expect(tree["usr/share/ca-certificates/mozilla/X.crt"] == nil)
    #expect(tree["usr/share/doc/ca-certificates/copyright"] != nil)
    #expect(tree["etc/ssl/certs/ca-certificates.crt"]?.content == .bytes(Data("-----BEGIN CERTIFICATE-----\n".utf8)))
    #expect(tree["var/lib/dpkg/status.d/ca-certificates"]?.content == .bytes(Data("Package: ca-certificates\nVersion: 1\n".utf8)))
    #expect(tree["var/lib/dpkg/status.d/ca-certificates.md5sums"] != nil)
    #expect(tree["home/nonroot"] == .directory(mode: 0o700, uid: 65532, gid: 65532))
    #expect(tree["tmp"]?.permissions == 0o1777)
}
