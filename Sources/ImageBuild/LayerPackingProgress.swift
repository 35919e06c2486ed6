import Archive
import Foundation
import Synchronization

/// A line of progress for a layer that takes more than a second to pack, then one a second until it is done.
///
/// Small layers pack in well under a second and say nothing until their summary line; a big OS or Python
/// layer (hundreds of MiB, gzip on two cores) would otherwise leave the terminal silent for half a minute.
final class LayerPackingProgress: Sendable {
    private let label: String
    private let log: @Sendable (String) -> Void
    private let started: ContinuousClock.Instant
    private let lastLine = Mutex<ContinuousClock.Instant?>(nil)

    /// Reports as `label` ("amd64: OS layer") through `log`, counting from `started`.
    init(label: String, started: ContinuousClock.Instant = .now, log: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.started = started
        self.log = log
    }

    /// A writer that reports through this object.
    func attach(to writer: LayerWriter) -> LayerWriter {
        var writer = writer
        writer.progress = { [self] progress in self.report(progress) }
        return writer
    }

    func report(_ progress: LayerProgress) {
        let now = ContinuousClock.now
        guard now - started >= .seconds(1) else { return }
        let due = lastLine.withLock { last -> Bool in
            if let previous = last, now - previous < .seconds(1) { return false }
            last = now
            return true
        }
        guard due else { return }
        let percent = progress.byteCount > 0 ? Int(progress.bytes * 100 / progress.byteCount) : 100
        log("\(label): packing, \(percent) % (\(BuildResult.size(progress.bytes)) of \(BuildResult.size(progress.byteCount)), "
            + "\(progress.entries) of \(progress.entryCount) files)")
    }
}
