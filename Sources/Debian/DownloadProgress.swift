import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What happens to one file while the repository gets it.
public enum DownloadEvent: Sendable, Equatable {
    /// A transfer began; `expectedBytes` when the index says how big it is.
    case started(name: String, expectedBytes: Int64?)
    /// More bytes arrived (total so far).
    case progressed(name: String, bytes: Int64, expectedBytes: Int64?)
    /// The file is verified and in the cache; `cached` when no transfer was needed.
    case finished(name: String, bytes: Int64, cached: Bool)
    /// The transfer or its verification failed.
    case failed(name: String, error: DebianError)
}

/// Receives ``DownloadEvent``s; called from several tasks at once.
public typealias DownloadProgressHandler = @Sendable (DownloadEvent) -> Void

/// Shows download progress on stderr: one redrawn line on a terminal, else a line per finished file.
public final class TerminalProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal: Bool
    private let quietWhenPiped: Bool
    private var active: [String: (bytes: Int64, expected: Int64?)] = [:]
    private var finishedCount = 0
    private var finishedBytes: Int64 = 0
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// `quietWhenPiped` prints nothing at all when stderr is not a terminal.
    public init(quietWhenPiped: Bool = false) {
        isTerminal = isatty(STDERR_FILENO) == 1
        self.quietWhenPiped = quietWhenPiped
    }

    /// The handler to pass to ``DebianRepository``.
    public var handler: DownloadProgressHandler { { [self] event in self.handle(event) } }

    /// Records `event` and redraws or prints.
    public func handle(_ event: DownloadEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .started(let name, let expected):
            active[name] = (0, expected)
        case .progressed(let name, let bytes, let expected):
            active[name] = (bytes, expected)
        case .finished(let name, let bytes, let cached):
            active[name] = nil
            finishedCount += 1
            finishedBytes += bytes
            if !isTerminal && !quietWhenPiped && !cached {
                write("fetched \(name) (\(Self.format(bytes)))\n")
            }
        case .failed(let name, _):
            active[name] = nil
        }
        guard isTerminal else { return }
        let now = Date()
        // Redraw at most ten times a second; always when a file completes or the last one ends.
        if case .progressed = event, now.timeIntervalSince(lastDraw) < 0.1 { return }
        lastDraw = now
        let inFlight = active.values.reduce(Int64(0)) { $0 + $1.bytes }
        var line = "\r\u{1B}[2K↓ \(finishedCount) files, \(Self.format(finishedBytes + inFlight))"
        if !active.isEmpty { line += " — \(active.count) downloading: \(active.keys.sorted().prefix(3).joined(separator: ", "))" }
        write(line)
        drawn = true
    }

    /// Ends the progress line (call once all downloads are done).
    public func end() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { write("\n") }
        drawn = false
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
