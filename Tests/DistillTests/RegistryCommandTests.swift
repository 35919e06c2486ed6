import Foundation
import ImageFormat
import TestSupport
import TestTraits
import Testing

/// `distill push`, `pull` and `copy` against Debian's docker-registry (plain http), read back by distill and skopeo.
@Suite(.localRegistry(.plain)) struct RegistryCommandTests {
    static func insecure(_ registry: LocalRegistry) -> [String] { ["--insecure-registry", registry.host] }

    @Test func push_then_pull_keeps_every_digest() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-cli")
        let root = try await RegistryTestImage.write(to: dir("img"))
        let pushed = try DistillCLI.check(["push"] + Self.insecure(registry) + ["oci:img", "\(registry.host)/cli/app:1"], in: dir.path)
        #expect(RegistryTestImage.printedDigest(pushed) == root.description)
        let pulled = try DistillCLI.check(["pull"] + Self.insecure(registry) + ["\(registry.host)/cli/app:1", "oci:out:v1"], in: dir.path)
        #expect(RegistryTestImage.printedDigest(pulled) == root.description)
        // The same blobs, byte for byte (each file is named by its digest, and pull verified every one).
        #expect(RegistryTestImage.blobs(in: dir("out")) == RegistryTestImage.blobs(in: dir("img")))
        // By digest too, and one platform into a docker-archive.
        try DistillCLI.check(["pull"] + Self.insecure(registry) + ["\(registry.host)/cli/app@\(root)", "oci:bydigest"], in: dir.path)
        #expect(RegistryTestImage.blobs(in: dir("bydigest")) == RegistryTestImage.blobs(in: dir("img")))
        try DistillCLI.check(["pull", "--arch", "arm64"] + Self.insecure(registry) + ["\(registry.host)/cli/app:1", "docker-archive:arm.tar"], in: dir.path)
        let loaded = try Tool.check(["skopeo", "inspect", "docker-archive:" + dir("arm.tar")])
        #expect(loaded.contains(#""Architecture": "arm64""#))
    }

    @Test func skopeo_reads_what_distill_pushed() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-skopeo-reads")
        let root = try await RegistryTestImage.write(to: dir("img"))
        try DistillCLI.check(["push"] + Self.insecure(registry) + ["oci:img", "docker://\(registry.host)/cli/for-skopeo:1"], in: dir.path)
        let reference = "docker://\(registry.host)/cli/for-skopeo:1"
        #expect(try RegistryTestImage.skopeoDigest(reference) == root.description)
        let inspected = try Tool.check(["skopeo", "inspect", "--tls-verify=false", "--override-arch", "arm64", reference])
        #expect(inspected.contains(#""Architecture": "arm64""#))
        try Tool.check(["skopeo", "copy", "--all", "--src-tls-verify=false", reference, "oci:" + dir("by-skopeo") + ":x"])
        #expect(try RegistryTestImage.skopeoDigest("oci:" + dir("by-skopeo") + ":x", extra: []) == root.description)
        #expect(RegistryTestImage.blobs(in: dir("by-skopeo")) == RegistryTestImage.blobs(in: dir("img")))
    }

    @Test(arguments: ["oci", "v2s2"])
    func distill_reads_what_skopeo_pushed(format: String) async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-skopeo-pushed")
        try await RegistryTestImage.write(to: dir("img"), archs: ["amd64"])
        let reference = "\(registry.host)/skopeo/\(format):1"
        try Tool.check(["skopeo", "copy", "--dest-tls-verify=false", "--format", format, "oci:" + dir("img") + ":latest", "docker://" + reference])
        let served = try RegistryTestImage.skopeoDigest("docker://" + reference)
        let pulled = try DistillCLI.check(["pull"] + Self.insecure(registry) + [reference, "oci:out"], in: dir.path)
        #expect(RegistryTestImage.printedDigest(pulled) == served)
        // Docker schema 2 media types are read as such and kept byte for byte.
        let index = try String(contentsOfFile: dir("out/index.json"), encoding: .utf8)
        #expect(index.contains(format == "v2s2" ? "application/vnd.docker.distribution.manifest.v2+json" : "application/vnd.oci.image.manifest.v1+json"))
        // Commands that read images take the registry reference itself.
        let inspect = try DistillCLI.check(["inspect", "--json"] + Self.insecure(registry) + [reference], in: dir.path)
        #expect(inspect.contains("amd64-0.bin"))
        try DistillCLI.check(["sbom"] + Self.insecure(registry) + [reference, "--output", "sbom.json"], in: dir.path)
        #expect(FileManager.default.fileExists(atPath: dir("sbom.json")))
    }

    @Test func a_second_push_sends_no_layer_bytes_and_a_copy_inside_the_registry_mounts() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-again-cli")
        try await RegistryTestImage.write(to: dir("img"))
        try DistillCLI.check(["push"] + Self.insecure(registry) + ["oci:img", "\(registry.host)/again/app:1"], in: dir.path)
        let first = registry.blobUploadRequests("again/app/")
        #expect(first.count == 6)  // two configs and four layers
        try DistillCLI.check(["push"] + Self.insecure(registry) + ["oci:img", "\(registry.host)/again/app:2"], in: dir.path)
        #expect(registry.blobUploadRequests("again/app/").count == first.count)
        try DistillCLI.check(["copy"] + Self.insecure(registry) + ["\(registry.host)/again/app:2", "\(registry.host)/again/mirror:2"], in: dir.path)
        #expect(registry.blobUploadRequests("again/mirror/").isEmpty)
        #expect(registry.requests("POST", pathContaining: "/again/mirror/blobs/uploads/?mount=").count == 6)
        // `convert` is the same command.
        try DistillCLI.check(["convert"] + Self.insecure(registry) + ["\(registry.host)/again/mirror:2", "oci:via-convert"], in: dir.path)
        #expect(RegistryTestImage.blobs(in: dir("via-convert")) == RegistryTestImage.blobs(in: dir("img")))
    }

    @Test func references_that_are_not_registries_or_images_are_one_line_errors() throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-errors")
        let missing = try DistillCLI.run(["pull"] + Self.insecure(registry) + ["\(registry.host)/no/such:1", "oci:out"], in: dir.path)
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: \(registry.host)/no/such: manifest 1 is not there (404); check the repository name, tag or digest\n")
        #expect(!FileManager.default.fileExists(atPath: dir("out")))
        let https = try DistillCLI.run(["pull", "\(registry.host)/no/such:1", "oci:out"], in: dir.path)
        #expect(https.stderr.hasPrefix("error: ") && https.stderr.contains("--insecure-registry"))
        let notRegistry = try DistillCLI.run(["push", "oci:a", "oci:b"], in: dir.path)
        #expect(notRegistry.status != 0 && notRegistry.stderr.contains("is not a registry reference"))
    }
}

/// The same commands against a registry behind TLS (a CA the test makes) with htpasswd accounts.
@Suite(.localRegistry(.tls(users: ["alice": "correct horse"]))) struct TLSRegistryCommandTests {
    static func ca(_ registry: LocalRegistry) -> [String] { ["--ca-cert", registry.caCertificate ?? ""] }

    @Test func the_right_password_works_with_the_test_ca_and_the_wrong_one_is_a_clear_error() async throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-tls-cli")
        let root = try await RegistryTestImage.write(to: dir("img"), archs: ["amd64"])
        let target = "\(registry.host)/secure/app:1"
        let wrong = try DistillCLI.run(
            ["push", "--username", "alice", "--password-stdin"] + Self.ca(registry) + ["oci:img", target], in: dir.path, input: Data("wrong\n".utf8))
        #expect(wrong.status == 1)
        #expect(wrong.stderr.hasPrefix("error: 401 from \(registry.host) for push to secure/app"))
        #expect(wrong.stderr.contains("the credentials from --username alice were refused"))
        let none = try DistillCLI.run(["push"] + Self.ca(registry) + ["oci:img", target], in: dir.path, environment: ["HOME": dir.path, "REGISTRY_AUTH_FILE": "", "XDG_RUNTIME_DIR": "", "DOCKER_CONFIG": ""])
        #expect(none.stderr.contains("run with --username/--password-stdin or add credentials to ~/.docker/config.json"))
        let right = try DistillCLI.check(
            ["push", "--username", "alice", "--password-stdin"] + Self.ca(registry) + ["oci:img", target], in: dir.path,
            input: Data("correct horse\n".utf8))
        #expect(RegistryTestImage.printedDigest(right) == root.description)
        // Credentials from a docker config file, read back over TLS.
        let auth = Data("alice:correct horse".utf8).base64EncodedString()
        try FileManager.default.createDirectory(atPath: dir("docker"), withIntermediateDirectories: true)
        try Data(#"{"auths": {"\#(registry.host)": {"auth": "\#(auth)"}}}"#.utf8).write(to: dir.path("docker/config.json"))
        let pulled = try DistillCLI.check(
            ["pull"] + Self.ca(registry) + [target, "oci:out"], in: dir.path, environment: ["DOCKER_CONFIG": dir("docker"), "REGISTRY_AUTH_FILE": ""])
        #expect(RegistryTestImage.printedDigest(pulled) == root.description)
        // skopeo reads it with the same CA and account.
        let certs = try TemporaryDirectory("registry-tls-certs")
        try FileManager.default.copyItem(atPath: registry.caCertificate ?? "", toPath: certs("ca.crt"))
        let served = try RegistryTestImage.skopeoDigest("docker://" + target, extra: ["--cert-dir", certs.path, "--creds", "alice:correct horse"])
        #expect(served == root.description)
    }

    @Test func without_the_ca_the_error_says_which_flag_to_add() throws {
        let registry = try LocalRegistry.require()
        let dir = try TemporaryDirectory("registry-tls-noca")
        let result = try DistillCLI.run(["pull", "\(registry.host)/secure/app:1", "oci:out"], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("--ca-cert"))
        let badCA = try DistillCLI.run(["pull", "--ca-cert", dir("missing.pem"), "\(registry.host)/secure/app:1", "oci:out"], in: dir.path)
        #expect(badCA.stderr == "error: --ca-cert \(dir("missing.pem")): the file cannot be read\n")
    }
}
