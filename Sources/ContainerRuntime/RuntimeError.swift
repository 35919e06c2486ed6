/// Everything that can go wrong while preparing, running or testing a container.
public enum RuntimeError: Error, Equatable, CustomStringConvertible {
    /// `runc` is not on PATH nor in the usual sbin directories.
    case runcNotFound(searched: [String])
    /// `--init` was asked for but no static init binary (tini) is installed.
    case initNotFound(searched: [String])
    /// Containers need root here: runc is run without a user namespace (rootless mode is not set up).
    case notRoot(uid: UInt32)
    /// runc refused to create the container for a reason that lies with the machine (cgroups, namespaces…).
    case machineDisallowsContainers(runcMessage: String)
    /// runc created the container but could not start the process (missing binary, bad user, bad cwd…).
    case containerFailedToStart(runcMessage: String)
    /// The image is for another CPU architecture and this machine cannot execute it.
    case wrongPlatform(image: String, host: String)
    /// The root filesystem directory is missing or is not a directory.
    case rootfsNotFound(path: String)
    /// Writable copy-on-write root could not be set up (overlayfs/tmpfs mount failed).
    case overlayUnavailable(reason: String)
    /// Neither `--entrypoint`/args nor the image's Entrypoint/Cmd give a command to run.
    case noCommand
    /// A user given by name (image `User` or `--user`) is not in the image's /etc/passwd or /etc/group.
    case unknownUser(String, file: String)
    /// The user specification is malformed.
    case invalidUser(String)
    /// An `--env` value is not `KEY=VALUE` (or `KEY` present in distill's environment).
    case invalidEnvironment(String)
    /// The working directory must be absolute.
    case invalidWorkingDirectory(String)
    /// A path inside the root filesystem could not be resolved (symlink loop, not a directory…).
    case unresolvablePath(String, reason: String)
    /// Spawning or talking to a helper process (runc) failed at the OS level.
    case processFailed(what: String, errno: Int32)
    /// Reading or writing a file of the bundle/report failed.
    case io(path: String, reason: String)
    /// The image has no healthcheck (or an empty one).
    case noHealthcheck
    /// The healthcheck is `CMD-SHELL` but the image has no /bin/sh.
    case healthcheckNeedsShell(command: String)
    /// The healthcheck's `Test` is not CMD, CMD-SHELL or NONE.
    case invalidHealthcheck([String])
    /// The work was cancelled (Ctrl-C, a parent task's cancellation) before it finished.
    case cancelled

    public var description: String {
        switch self {
        case .initNotFound(let searched):
            return "--init needs a static tini (looked in \(searched.joined(separator: ", "))); install it: apt-get install tini, or name one with DISTILL_INIT"
        case .runcNotFound(let searched):
            return "runc not found (looked in \(searched.joined(separator: ", "))): install it with `apt-get install runc`"
        case .notRoot(let uid):
            return "running containers needs root here (distill runs runc without a user namespace), but this is uid \(uid): run it as root or with sudo"
        case .machineDisallowsContainers(let message):
            return "this machine does not allow containers: \(message)"
        case .containerFailedToStart(let message):
            return "the container's process could not be started: \(message)"
        case .wrongPlatform(let image, let host):
            return "the image is for \(image) and this machine is \(host): run it on a matching machine, or register qemu-user binfmt handlers (apt-get install qemu-user-static)"
        case .rootfsNotFound(let path):
            return "root filesystem '\(path)' does not exist or is not a directory"
        case .overlayUnavailable(let reason):
            return "cannot give the container a writable throw-away root (overlayfs over the image): \(reason)"
        case .noCommand:
            return "nothing to run: the image has no Entrypoint or Cmd; pass a command after `--` or use --entrypoint"
        case .unknownUser(let user, let file):
            return "user or group '\(user)' is not in the image's \(file)"
        case .invalidUser(let user):
            return "'\(user)' is not a valid user: use NAME, UID, NAME:GROUP or UID:GID"
        case .invalidEnvironment(let entry):
            return "'\(entry)' is not a valid environment entry: use KEY=VALUE"
        case .invalidWorkingDirectory(let dir):
            return "working directory '\(dir)' must be an absolute path"
        case .unresolvablePath(let path, let reason):
            return "cannot resolve '\(path)' inside the image: \(reason)"
        case .processFailed(let what, let code):
            return "\(what) failed: \(errnoText(code))"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .noHealthcheck:
            return "the image defines no healthcheck (its config has no Healthcheck.Test)"
        case .healthcheckNeedsShell(let command):
            return "the healthcheck is CMD-SHELL (`\(command)`), which needs /bin/sh, and this image has no shell; write it as [\"CMD\", \"/path/to/binary\", \"arg\", …]"
        case .invalidHealthcheck(let test):
            return "healthcheck test \(test) is not valid: it must start with CMD, CMD-SHELL or NONE"
        case .cancelled:
            return "cancelled before it finished"
        }
    }

    /// The exit code `docker run` uses for this kind of failure (125 runtime, 126 not executable, 127 not found).
    public var dockerStyleExitCode: Int32 {
        switch self {
        case .containerFailedToStart(let message):
            if message.contains("no such file or directory") || message.contains("executable file not found") {
                return 127
            }
            if message.contains("permission denied") || message.contains("exec format error") {
                return 126
            }
            return 125
        default:
            return 125
        }
    }
}
