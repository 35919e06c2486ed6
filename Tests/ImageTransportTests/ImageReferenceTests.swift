import ImageTransport
import Testing

@Test(arguments: [
    ("oci:build/app", ImageReference.oci(path: "build/app", tag: nil)),
    ("oci:/abs/dir:v1", .oci(path: "/abs/dir", tag: "v1")),
    ("oci-archive:app.tar:latest", .ociArchive(path: "app.tar", tag: "latest")),
    ("docker-archive:app.tar", .dockerArchive(path: "app.tar", tag: nil)),
    ("docker-archive:app.tar:app:1.0", .dockerArchive(path: "app.tar", tag: "app:1.0")),
    ("dir:/img", .dir(path: "/img")),
    ("rootfs:/rootfs", .rootfs(path: "/rootfs")),
])
func parsesSkopeoStyleReferences(_ text: String, _ expected: ImageReference) throws {
    #expect(try ImageReference(parsing: text) == expected)
}

@Test(arguments: [
    ("docker://ghcr.io/org/app:1", "ghcr.io/org/app:1"),
    ("localhost:5000/app:1", "localhost:5000/app:1"),
    ("ghcr.io/org/app@sha256:" + String(repeating: "0", count: 64), "ghcr.io/org/app@sha256:" + String(repeating: "0", count: 64)),
    ("python:3.11-slim", "docker.io/library/python:3.11-slim"),
    ("docker://busybox", "docker.io/library/busybox"),
])
func parsesRegistryReferences(_ text: String, _ canonical: String) throws {
    let reference = try ImageReference(parsing: text)
    guard case .registry(let parsed) = reference else {
        Issue.record("\(text) is not a registry reference")
        return
    }
    #expect(reference.description == canonical)
    #expect(try ImageReference(parsing: canonical) == .registry(parsed))
}

@Test(arguments: ["", "oci:", "app", "ociarchive:x.tar", "dir:", "rootfs:", "docker://", "ghcr.io/org/app@sha256:abc", "localhost:5000/App", "oic:build/app"])
func refusesMalformedReferences(_ text: String) {
    #expect(throws: ImageTransportError.self) { try ImageReference(parsing: text) }
}

@Test func referencesPrintAsParsed() throws {
    for text in ["oci:a:b", "oci-archive:x.tar", "docker-archive:y.tar:n:t", "dir:/d", "rootfs:/r"] {
        #expect(try ImageReference(parsing: text).description == text)
    }
}
