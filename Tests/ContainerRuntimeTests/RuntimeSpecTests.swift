import ContainerRuntime
import Foundation
import ImageFormat
import Testing

@Suite("config.json: the OCI runtime spec model")
struct RuntimeSpecTests {
    /// What `runc spec` (runc 1.1.5) writes, and the Linux part of `runc spec --rootless`.
    static let runcSpec = #"""
        {"ociVersion": "1.0.2-dev", "process": {"terminal": true, "user": {"uid": 0, "gid": 0}, "args": ["sh"],
         "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"], "cwd": "/",
         "capabilities": {"bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
          "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
          "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
          "ambient": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]},
         "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}], "noNewPrivileges": true},
         "root": {"path": "rootfs", "readonly": true}, "hostname": "runc",
         "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
          {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
          {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
          {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}],
         "linux": {"uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
          "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
          "resources": {"devices": [{"allow": false, "access": "rwm"}], "pids": {"limit": 100}},
          "namespaces": [{"type": "pid"}, {"type": "network", "path": "/proc/1/ns/net"}, {"type": "user"}],
          "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
           "syscalls": [{"names": ["kexec_load"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                         "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]},
          "maskedPaths": ["/proc/acpi", "/proc/kcore"], "readonlyPaths": ["/proc/bus", "/proc/sys"]},
         "annotations": {"org.opencontainers.image.ref.name": "app"}}
        """#

    @Test("runc's own config.json decodes and re-encodes to the same JSON")
    func roundTrip() throws {
        let original = Data(Self.runcSpec.utf8)
        let spec = try JSONDecoder().decode(RuntimeSpec.self, from: original)
        #expect(spec.process?.user == RuntimeSpec.User(uid: 0, gid: 0))
        #expect(spec.linux?.uidMappings?.first?.hostID == 1000)
        #expect(spec.linux?.seccomp?.syscalls?.first?.args?.first?.op == "SCMP_CMP_EQ")
        let encoded = try spec.jsonData()
        let before = try JSONSerialization.jsonObject(with: original) as? NSDictionary
        let after = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        #expect(before == after)
        #expect(try JSONDecoder().decode(RuntimeSpec.self, from: encoded) == spec)
    }

    @Test("the generated spec: read-only root, no new privileges, private namespaces, standard mounts")
    func generated() throws {
        let rootfs = try TinyRootfs.make()
        defer { TinyRootfs.remove(rootfs) }
        let config = ContainerConfig(user: "nonroot", env: ["A=1"], entrypoint: ["/app"], cmd: ["--serve"], workingDir: "/srv")
        let spec = try SpecBuilder.spec(
            config: config, options: RunOptions(), rootfs: rootfs,
            environment: .init(rootPath: "/bundle/rootfs", hostsFile: "/bundle/hosts", hostResolvConf: "/etc/resolv.conf"))
        #expect(spec.ociVersion == "1.0.2")
        #expect(spec.root == RuntimeSpec.Root(path: "/bundle/rootfs", readonly: true))
        let process = try #require(spec.process)
        #expect(process.args == ["/app", "--serve"])
        #expect(process.cwd == "/srv")
        #expect(process.user == RuntimeSpec.User(uid: 65532, gid: 65532, additionalGids: [50]))
        #expect(process.env == ["A=1", "PATH=\(ProcessResolution.defaultPath)", "HOME=/home/nonroot"])
        #expect(process.noNewPrivileges == true)
        #expect(process.terminal == false)
        #expect(process.capabilities?.bounding == SpecBuilder.defaultCapabilities)
        #expect(process.capabilities?.effective == [], "a non-root user gets no effective capabilities")
        #expect(spec.linux?.namespaces?.map(\.type) == ["pid", "ipc", "uts", "mount", "network"])
        let mounts = try #require(spec.mounts).map(\.destination)
        #expect(mounts == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/tmp", "/etc/hosts"])
        #expect(spec.mounts?.first { $0.destination == "/sys" }?.options?.contains("ro") == true)
        // A writable /tmp by default (issue: tempfile.mkstemp() failed on the read-only root), sized and nosuid.
        let tmp = try #require(spec.mounts?.first { $0.destination == "/tmp" })
        #expect(tmp.type == "tmpfs" && tmp.options == ["nosuid", "nodev", "mode=1777", "size=\(RunOptions.defaultWritableSize)"])
        #expect(spec.linux?.seccomp?.defaultAction == "SCMP_ACT_ERRNO")
        #expect(spec.linux?.resources?.pids?.limit == RunOptions.defaultPidsLimit)
        #expect(spec.linux?.resources?.memory?.limit == RunOptions.defaultMemoryLimit)
        #expect(spec.linux?.maskedPaths?.contains("/sys/devices/virtual/powercap") == true)
    }

    @Test("--network host joins the host's network and brings its resolv.conf; root keeps capabilities")
    func hostNetworkAndRoot() throws {
        let rootfs = try TinyRootfs.make()
        defer { TinyRootfs.remove(rootfs) }
        let spec = try SpecBuilder.spec(
            config: ContainerConfig(entrypoint: ["/app"]), options: RunOptions(network: .host, tmpfs: ["/tmp"]), rootfs: rootfs,
            environment: .init(rootPath: "/r", hostsFile: "/h", hostResolvConf: "/etc/resolv.conf"))
        #expect(spec.linux?.namespaces?.map(\.type) == ["pid", "ipc", "uts", "mount"])
        let resolv = try #require(spec.mounts?.first { $0.destination == "/etc/resolv.conf" })
        #expect(resolv.source == "/etc/resolv.conf" && resolv.options == ["rbind", "ro"])
        #expect(spec.mounts?.contains { $0.destination == "/tmp" && $0.type == "tmpfs" } == true)
        #expect(spec.process?.user == RuntimeSpec.User(uid: 0, gid: 0))
        #expect(spec.process?.capabilities?.effective == SpecBuilder.defaultCapabilities)
    }

    @Test("argv follows Docker: args replace Cmd, --entrypoint replaces Entrypoint and clears Cmd", arguments: [
        (["/ep"], ["cmd"], nil, nil, ["/ep", "cmd"]),
        (["/ep"], ["cmd"], nil, ["x", "y"], ["/ep", "x", "y"]),
        (["/ep"], ["cmd"], ["/other"], nil, ["/other"]),
        (["/ep"], ["cmd"], ["/other"], ["z"], ["/other", "z"]),
        (nil, ["/bin/cmd", "a"], nil, nil, ["/bin/cmd", "a"]),
        (nil, ["/bin/cmd"], nil, ["/usr/bin/python3", "-V"], ["/usr/bin/python3", "-V"]),
        (["/ep"], nil, [], ["/x"], ["/x"]),
    ] as [([String]?, [String]?, [String]?, [String]?, [String])])
    func argv(entrypoint: [String]?, cmd: [String]?, override: [String]?, args: [String]?, expected: [String]) throws {
        let config = ContainerConfig(entrypoint: entrypoint, cmd: cmd)
        #expect(try ProcessResolution.arguments(config: config, options: RunOptions(entrypoint: override, args: args)) == expected)
    }

    @Test("nothing to run is an error")
    func noCommand() {
        #expect(throws: RuntimeError.noCommand) {
            try ProcessResolution.arguments(config: ContainerConfig(), options: RunOptions())
        }
    }

    @Test("environment: overrides replace in place, new keys append, bare keys copy distill's value")
    func environment() throws {
        let env = try ProcessResolution.environment(
            config: ContainerConfig(env: ["PATH=/bin", "A=1", "B=2"]), overrides: ["B=3", "C=4", "FROM_HOST", "NOT_SET", "A=x=y"],
            home: "/root", hostEnvironment: ["FROM_HOST": "h"])
        #expect(env == ["PATH=/bin", "A=x=y", "B=3", "C=4", "FROM_HOST=h", "HOME=/root"])
        #expect(throws: RuntimeError.invalidEnvironment("=v")) {
            try ProcessResolution.environment(config: nil, overrides: ["=v"], home: "/")
        }
        #expect(throws: RuntimeError.invalidWorkingDirectory("app")) {
            try ProcessResolution.workingDirectory(config: ContainerConfig(workingDir: "app"), options: RunOptions())
        }
    }
}
