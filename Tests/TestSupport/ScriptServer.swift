import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A test server written as a python3 script (static files, a lying mirror, a bucket with ETags, a fault proxy),
/// started on 127.0.0.1 and stopped with its owner: the one place the fixtures start, wait for and stop such a child.
public final class ScriptServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    /// Starts `python3 -u -c script arguments…`, whose first line of output is the port it chose.
    public init(_ name: String, script: String, arguments: [String]) throws {
        process = Self.process(script, arguments)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            process.waitUntilExit()
            throw FixtureError("\(name) did not report a port (output: '\(text)'); is python3 installed?")
        }
        self.port = port
    }

    /// Starts a script told to listen on `port`, and waits (up to 10 s) until it accepts connections.
    public init(_ name: String, script: String, arguments: [String], listeningOn port: Int) throws {
        process = Self.process(script, arguments)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        guard LocalRegistry.waitForListener(port: port, process: process, seconds: 10) else {
            process.terminate()
            process.waitUntilExit()
            throw FixtureError("\(name) did not start listening on port \(port)")
        }
        self.port = port
    }

    private static func process(_ script: String, _ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", script] + arguments
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        return process
    }

    deinit { stop() }

    /// Stops the script (SIGTERM, SIGKILL after 3 s) and waits for it; later calls do nothing.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        if stopped { return }
        stopped = true
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }
}
