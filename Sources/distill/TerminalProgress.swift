import Debian
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Shows download progress on stderr: one redrawn line on a terminal, else a line per finished file.
final class TerminalProgress: Sendable {
    private let isTerminal: Bool
    private let quietWhenPiped: Bool
    private struct State {
        var active: [String: (bytes: Int64, expected: Int64?)] = [:]
        var finishedCount = 0
        var finishedBytes: Int64 = 0
        var lastDraw = Date.distantPast
        var drawn = false
    }
    private let state = Mutex(State())

    /// `quietWhenPiped` prints nothing at all when stderr is not a terminal.
    init(quietWhenPiped: Bool = false) {
        isTerminal = isatty(STDERR_FILENO) == 1
        self.quietWhenPiped = quietWhenPiped
    }

    /// The handler to pass to ``DebianRepository``.
    var handler: DownloadProgressHandler { { [self] event in self.handle(event) } }

    /// Records `event` and redraws or prints.
    func handle(_ event: DownloadEvent) {
        state.withLock { state in draw(event, &state) }
    }

    private func draw(_ event: DownloadEvent, _ state: inout State) {
        switch event {
        case .started(let name, let expected):
            state.active[name] = (0, expected)
        case .progressed(let name, let bytes, let expected):
            state.active[name] = (bytes, expected)
        case .finished(let name, let bytes, let cached):
            state.active[name] = nil
            state.finishedCount += 1
            state.finishedBytes += bytes
            if !isTerminal && !quietWhenPiped && !cached {
                write("fetched \(name) (\(Self.format(bytes)))\n")
            }
        case .failed(let name, _):
            state.active[name] = nil
        }
        guard isTerminal else { return }
        let now = Date()
        // Redraw at most ten times a second; always when a file completes or the last one ends.
        if case .progressed = event, now.timeIntervalSince(state.lastDraw) < 0.1 { return }
        state.lastDraw = now
        let inFlight = state.active.values.reduce(Int64(0)) { $0 + $1.bytes }
        var line = "\r\u{1B}[2K↓ \(state.finishedCount) files, \(Self.format(state.finishedBytes + inFlight))"
        if !state.active.isEmpty { line += " — \(state.active.count) downloading: \(state.active.keys.sorted().prefix(3).joined(separator: ", "))" }
        write(line)
        state.drawn = true
    }

    /// Ends the progress line (call once all downloads are done).
    func end() {
        state.withLock { state in
            if state.drawn { write("\n") }
            state.drawn = false
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `12.3 MB`.
    static func format(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        if bytes < 1_000_000 { return String(format: "%.1f kB", Double(bytes) / 1000) }
        return String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
