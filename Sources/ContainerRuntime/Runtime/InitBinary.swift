import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The init `--init` runs as PID 1: a statically linked tini, which works in any image (even one with
/// no libc), forwards signals to the program and reaps orphaned zombies — as `docker run --init` does.
enum InitBinary {
    /// Debian's tini package ships the static build here.
    static let candidates = ["/usr/bin/tini-static", "/usr/local/bin/tini-static"]

    /// `DISTILL_INIT` when set, else the first installed candidate.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let searched = environment["DISTILL_INIT"].map { [$0] } ?? candidates
        for path in searched where access(path, X_OK) == 0 { return path }
        throw RuntimeError.initNotFound(searched: searched)
    }
}
