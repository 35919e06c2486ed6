import ContainerRuntime
import Foundation
import ImageFormat
import Testing
import TestSupport

/// What `distill run` keeps a container from doing: the default seccomp filter, cgroup limits, masked
/// kernel interfaces, and a writable /tmp on a read-only root.
@Suite("Confinement: seccomp, limits, masked paths, tmpfs")
struct ConfinementTests {
    let container: PythonContainer

    init() throws { container = try PythonContainer() }

    /// keyctl's number on this machine's architecture (the fixture is amd64).
    static let keyctlNumber = ContainerRunner.hostArchitecture == "arm64" ? 219 : 250

    static let probe = """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        def attempt(name, call):
            ctypes.set_errno(0)
            result = call()
            print(name, result, ctypes.get_errno())
        attempt("unshare-user", lambda: libc.unshare(0x10000000))
        attempt("unshare-mount", lambda: libc.unshare(0x00020000))
        # KEYCTL_SEARCH (10) in the user session keyring (-3) for a "user" key: root's host keyring otherwise.
        attempt("keyctl", lambda: libc.syscall(\(keyctlNumber), 10, -3, b"user", b"anything", 0))
        attempt("mount", lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None))
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        print("fork", os.waitpid(pid, 0)[1])
        """

    @Test("as 65532 and as root: no new user or mount namespace, no keyring, no mount (EPERM); fork still works",
          arguments: [nil, "0"])
    func seccompDenies(user: String?) async throws {
        let result = try await container.python(Self.probe, RunOptions(user: user))
        #expect(result.exitCode == 0, "\(result.stderrText)")
        let lines = result.stdoutText
        #expect(lines.contains("unshare-user -1 1\n"), "\(lines)")
        #expect(lines.contains("unshare-mount -1 1\n"), "\(lines)")
        #expect(lines.contains("keyctl -1 1\n"), "\(lines)")
        #expect(lines.contains("mount -1 1\n"), "\(lines)")
        #expect(lines.contains("fork 0\n"), "\(lines)")
    }

    @Test("a pids limit and a memory limit are set (and can be changed)")
    func limits() async throws {
        let read = """
            import os
            def first(*paths):
                for p in paths:
                    if os.path.exists(p):
                        return open(p).read().strip()
                return "missing"
            print("pids", first("/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/pids/pids.max"))
            print("memory", first("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"))
            """
        let result = try await container.python(read)
        #expect(result.stdoutText.contains("pids \(RunOptions.defaultPidsLimit)\n"), "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stdoutText.contains("memory \(RunOptions.defaultMemoryLimit)\n"), "\(result.stdoutText)")
        let custom = try await container.python(read, RunOptions(pidsLimit: 64, memoryLimit: 256 << 20))
        #expect(custom.stdoutText.contains("pids 64\n"), "\(custom.stdoutText)")
        #expect(custom.stdoutText.contains("memory \(256 << 20)\n"), "\(custom.stdoutText)")
    }

    @Test("kernel interfaces are masked as current runtimes mask them")
    func maskedPaths() async throws {
        let result = try await container.python("""
            import os
            for p in ["/proc/kcore", "/proc/keys", "/sys/firmware", "/sys/devices/virtual/powercap"]:
                if not os.path.exists(p):
                    print(p, "absent"); continue
                if os.path.isdir(p):
                    print(p, "entries", len(os.listdir(p)))
                else:
                    print(p, "bytes", len(open(p, "rb").read(64)))
            """, RunOptions(user: "0"))
        #expect(result.exitCode == 0, "\(result.stderrText)")
        for line in result.stdoutText.split(separator: "\n") {
            #expect(line.hasSuffix(" absent") || line.hasSuffix(" 0"), "\(line) is readable")
        }
        #expect(SpecBuilder.maskedPaths.contains("/sys/devices/virtual/powercap"))
    }

    @Test("/tmp is a writable tmpfs on the read-only root, capped in size")
    func writableTmp() async throws {
        let result = try await container.python("""
            import tempfile, os
            fd, path = tempfile.mkstemp(); os.write(fd, b"x"); print("tmp ok", path.startswith("/tmp/"))
            try:
                open("/etc/x", "w")
            except OSError as e:
                print("root", e.errno)
            st = os.statvfs("/tmp"); print("size", st.f_blocks * st.f_frsize)
            """)
        #expect(result.exitCode == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("tmp ok True\n"))
        #expect(result.stdoutText.contains("root 30\n"), "EROFS expected: \(result.stdoutText)")
        #expect(result.stdoutText.contains("size \(RunOptions.defaultWritableSize)\n"), "\(result.stdoutText)")
    }

    @Test("the seccomp profile never allows what Docker's and podman's defaults keep from a container without CAP_SYS_ADMIN")
    func profileAgainstPodmans() throws {
        let names = Set(DefaultSeccompProfile.seccomp.syscalls?.filter { $0.action == "SCMP_ACT_ALLOW" && $0.args == nil }.flatMap(\.names) ?? [])
        for denied in ["unshare", "setns", "keyctl", "add_key", "request_key", "mount", "umount2", "pivot_root", "bpf",
                       "perf_event_open", "userfaultfd", "kexec_load", "init_module", "reboot", "swapon", "ptrace",
                       "open_by_handle_at", "clone3", "clone", "fsopen", "move_mount"] {
            #expect(!names.contains(denied), "\(denied) is allowed unconditionally")
        }
        // Every name we allow is one podman's packaged profile (containers-common) allows too, in some rule.
        let podman = "/usr/share/containers/seccomp.json"
        let data = try #require(FileManager.default.contents(atPath: podman), "\(podman) (containers-common, installed with podman)")
        let profile = try JSONDecoder().decode(RuntimeSpec.Linux.Seccomp.self, from: data)
        let podmanAllowed = Set(profile.syscalls?.filter { $0.action == "SCMP_ACT_ALLOW" }.flatMap(\.names) ?? [])
        let extra = names.subtracting(podmanAllowed)
        #expect(extra.isEmpty, "allowed here but not by podman: \(extra.sorted())")
        #expect(DefaultSeccompProfile.seccomp.defaultAction == "SCMP_ACT_ERRNO")
    }
}

@Suite("Sweeping what a killed distill left")
struct AbandonedRootfsTests {
    @Test("an unpacked rootfs folder of a dead distill is removed by the sweep, without following its links")
    func sweepRemovesRootfs() async throws {
        let runner = try ContainerRunner()
        // A pid that no longer runs: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let outside = try TemporaryDirectory("outside")
        #expect(FileManager.default.createFile(atPath: outside("keep"), contents: Data("keep".utf8)))
        let temporary = FileManager.default.temporaryDirectory.path
        let leftover = temporary + "/distill-run-\(dead)-Ab12Cd"
        try FileManager.default.createDirectory(atPath: leftover + "/rootfs/bin", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: leftover + "/rootfs/bin/su", contents: Data(), attributes: [.posixPermissions: 0o4755]))
        try FileManager.default.createSymbolicLink(atPath: leftover + "/rootfs/etc", withDestinationPath: outside.path)
        // One of a live process (ours) stays.
        let mine = temporary + "/distill-run-\(getpid())-Ef34Gh"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mine) }
        await runner.removeAbandoned()
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(FileManager.default.fileExists(atPath: mine))
        #expect(FileManager.default.contents(atPath: outside("keep")) == Data("keep".utf8))
    }
}
