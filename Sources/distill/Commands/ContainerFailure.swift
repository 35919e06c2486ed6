import ContainerRuntime

/// A container that could not run, reported with `docker run`'s exit codes (125, 126 not executable,
/// 127 not found). runc has already printed its own reason on the inherited stderr, so the `error:` line
/// then points at it instead of saying it a second time.
struct ContainerFailure: Error, CustomStringConvertible {
    let error: RuntimeError
    let runcPrintedIt: Bool

    init(_ error: RuntimeError, runcPrintedIt: Bool) {
        self.error = error
        self.runcPrintedIt = runcPrintedIt
    }

    var exitCode: Int32 { error.dockerStyleExitCode }

    var description: String {
        guard runcPrintedIt else { return "\(error)" }
        switch error {
        case .containerFailedToStart: return "the container's process could not be started (runc's reason is above)"
        case .machineDisallowsContainers: return "this machine does not allow containers (runc's reason is above)"
        default: return "\(error)"
        }
    }
}
