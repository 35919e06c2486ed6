// ContainerRuntime: run and test unpacked OCI images with runc, without a container engine.
//
// - `ContainerRunner.run(rootfs:image:options:)`: one container (`distill run`): a read-only root
//   (overlayfs over the image with an in-memory upper layer, so the image directory is never touched),
//   the image's user/env/workdir/entrypoint with Docker's override rules, no new privileges, Podman's
//   minimal capabilities (none effective for non-root users), private pid/ipc/uts/mount/network
//   namespaces (`--network host` shares the host's network), stdio passed through or captured.
// - `ContainerRunner.healthcheck(rootfs:image:options:mode:)`: the image's Docker healthcheck, once.
// - `StructureTestRunner.run(configPaths:rootfs:image:junitPath:)`: container-structure-test files
//   (`distill test`), with a text report and JUnit XML.
//
// Everything needs root (runc runs without a user namespace) and Debian's `runc` package.
