import Foundation
import TestSupport
import Testing

/// `distill run` as a user meets it: its errors, exit codes and terminal, on a one-program root filesystem.
@Suite(.serialized) struct RunCommandTests {
    let dir: TemporaryDirectory
    /// `rootfs:…` holding `/hello` (static: prints "hello" and its arguments) and a non-executable file.
    let image: String

    init() throws {
        dir = try TemporaryDirectory("run-cli")
        try FileManager.default.createDirectory(atPath: dir("root/etc"), withIntermediateDirectories: true)
        try "#include <stdio.h>\nint main(int c, char **v) { printf(\"hello\"); for (int i = 1; i < c; i++) printf(\" %s\", v[i]); printf(\"\\n\"); return 0; }\n"
            .write(toFile: dir("hello.c"), atomically: true, encoding: .utf8)
        try Tool.check(["cc", "-static", "-O2", "-o", dir("root/hello"), dir("hello.c")])
        try "root:x:0:0:root:/root:/sbin/nologin\n".write(toFile: dir("root/etc/passwd"), atomically: true, encoding: .utf8)
        try "box\n".write(toFile: dir("root/etc/hostname"), atomically: true, encoding: .utf8)
        image = "rootfs:" + dir("root")
    }

    @Test func argumentsWithoutDashDashSuggestItAndTheSubcommandsHelp() throws {
        let result = try DistillCLI.run(["run", image, "a", "b"], in: dir.path)
        #expect(result.status == 64)
        #expect(result.stderr.contains("the container's arguments go after --"), "\(result.stderr)")
        #expect(result.stderr.contains("(see 'distill run --help')"), "\(result.stderr)")
        let build = try DistillCLI.run(["build", "--bogus"], in: dir.path)
        #expect(build.stderr.contains("(see 'distill build --help')"), "\(build.stderr)")
    }

    /// runc prints why the process could not start; distill's one `error:` line does not repeat it, and
    /// the exit code is docker's: 127 not found, 126 not executable.
    @Test(arguments: [("/nonexistent", "no such file or directory", Int32(127)), ("/etc/hostname", "permission denied", Int32(126))])
    func aProcessThatCannotStartExitsLikeDockerAndIsReportedOnce(_ entrypoint: String, _ reason: String, _ code: Int32) throws {
        let result = try DistillCLI.run(["run", "--entrypoint", entrypoint, image], in: dir.path)
        #expect(result.status == code, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: reason).count - 1 == 1, "said once: \(result.stderr)")
        #expect(result.stderr.components(separatedBy: "error: ").count - 1 == 1, "\(result.stderr)")
    }

    @Test func anEmptyEntrypointClearsItAndTheArgumentsAreTheCommand() throws {
        #expect(try DistillCLI.check(["run", "--entrypoint", "", image, "--", "/hello", "x"], in: dir.path) == "hello x\n")
        let bare = try DistillCLI.run(["run", "--entrypoint", "", image], in: dir.path)
        #expect(bare.status == 64)
        #expect(bare.stderr.contains("--entrypoint '' clears"), "\(bare.stderr)")
    }

    /// Under a terminal whose input is at its end (as in `script … </dev/null`), runc used to echo a NUL
    /// as `^@` through the container's own terminal; a terminal is given only when asked for (-t).
    @Test func noStrayCharactersOnATerminal() throws {
        let command = "\(DistillCLI.executable) run --entrypoint /hello \(image) -- on-a-tty"
        let result = try Tool.run(["sh", "-c", "script -qec \"$0\" /dev/null </dev/null", command], cwd: dir.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "hello on-a-tty\n", "\(Array(result.stdout.utf8))")
    }

    @Test func withoutRootItSaysSoBeforeTouchingAnything() throws {
        for arguments in [["run", image], ["test", image, "--config", dir("none.yaml")]] {
            let result = try Tool.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", DistillCLI.executable] + arguments, cwd: "/")
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("error: running containers needs root"), "\(result.stderr)")
            #expect(!result.stderr.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func theHelpSaysWhatABareEnvNameDoes() throws {
        let help = try DistillCLI.check(["run", "--help"], in: dir.path).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("K alone to pass distill's own value of K"), "\(help)")
        #expect(try DistillCLI.check(["run", "--env", "DISTILL_PROBE", "--entrypoint", "/hello", image], in: dir.path, environment: ["DISTILL_PROBE": "x"]) == "hello\n")
    }
}
