import Foundation
import ImageFormat
import TestSupport
import TestTraits
import Testing

/// `base: {image: REF}` against Debian's docker-registry: a base pushed there, built on, the result pushed and run.
@Suite(.localRegistry(.plain)) struct BaseImageRegistryTests {
    @Test func aBuildOnARegistryBaseIsPushedRunsAndIsPinned() async throws {
        let registry = try LocalRegistry.require()
        let insecure = ["--insecure-registry", registry.host]
        let dir = try TemporaryDirectory("base-registry")
        let environment = ProcessInfo.processInfo.environment.merging(["XDG_CACHE_HOME": dir("cache")]) { $1 }
        // The base: a static program that prints the base's /etc/greeting and the app's /app/message.
        try FileManager.default.createDirectory(atPath: dir("root/usr/bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir("root/etc"), withIntermediateDirectories: true)
        try """
            #include <stdio.h>
            static void show(const char *path) { FILE *f = fopen(path, "r"); int c; if (!f) { printf("no %s\\n", path); return; }
              while ((c = fgetc(f)) != EOF) putchar(c); fclose(f); }
            int main(void) { show("/etc/greeting"); show("/app/message"); return 0; }
            """.write(toFile: dir("greet.c"), atomically: true, encoding: .utf8)
        try Tool.check(["cc", "-static", "-O2", "-o", dir("root/usr/bin/greet"), dir("greet.c")])
        try "hello from the base\n".write(toFile: dir("root/etc/greeting"), atomically: true, encoding: .utf8)
        try "root:x:0:0:root:/root:/sbin/nologin\n".write(toFile: dir("root/etc/passwd"), atomically: true, encoding: .utf8)
        try DistillCLI.check(["copy", "rootfs:" + dir("root"), "oci:base:1"], in: dir.path)
        let baseReference = "\(registry.host)/base/greeter:1"
        try DistillCLI.check(["push"] + insecure + ["oci:base:1", baseReference], in: dir.path)

        try "and from the app\n".write(toFile: dir("message.txt"), atomically: true, encoding: .utf8)
        try """
            name: app
            base: {image: "\(baseReference)"}
            entrypoint: [/usr/bin/greet]
            app:
              - {source: message.txt, target: /app/message}

            """.write(toFile: dir("distill.yaml"), atomically: true, encoding: .utf8)
        let appReference = "\(registry.host)/app/greeter:1"
        try DistillCLI.check(["build"] + insecure + ["--push", appReference], in: dir.path, environment: environment)

        // It runs from the registry: the base's file and the app's.
        let output = try DistillCLI.check(["run"] + insecure + [appReference], in: dir.path, environment: environment)
        #expect(output == "hello from the base\nand from the app\n")

        // The base's layers, byte for byte, under the app's; the lock pins the base's manifest.
        let baseRaw = try Tool.check(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + baseReference])
        let appRaw = try Tool.check(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + appReference])
        let baseManifest = try JSONDecoder().decode(ImageManifest.self, from: Data(baseRaw.utf8))
        let appManifest = try JSONDecoder().decode(ImageManifest.self, from: Data(appRaw.utf8))
        #expect(Array(appManifest.layers.prefix(baseManifest.layers.count)).map(\.digest) == baseManifest.layers.map(\.digest))
        #expect(appManifest.layers.count > baseManifest.layers.count)
        let lock = try String(contentsOfFile: dir("distill.lock"), encoding: .utf8)
        #expect(lock.contains(Digest.sha256(of: Data(baseRaw.utf8)).description), "\(lock)")
        #expect(lock.contains("\"base_image\""))

        // Offline, from the lock and the cache alone (no --insecure-registry: any request to the plain-http
        // registry would fail), the same image.
        let first = try RegistryTestImage.skopeoDigest("oci:" + dir("build/app") + ":latest", extra: [])
        #expect(try RegistryTestImage.skopeoDigest("docker://" + appReference) == first)
        try FileManager.default.removeItem(atPath: dir("build"))
        try DistillCLI.check(["build", "--offline"], in: dir.path, environment: environment)
        #expect(try RegistryTestImage.skopeoDigest("oci:" + dir("build/app") + ":latest", extra: []) == first)
    }
}
