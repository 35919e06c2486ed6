import Foundation

/// The result of running a helper program.
struct ProcessOutput {
    var status: Int32
    var stdout: Data
    var stderr: String
}

/// Runs helper programs (gpgv, sqv) without a shell.
enum ProcessRunner {
    /// The full path of `name` on PATH (or the usual system directories), if it is an executable.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        var directories = path.split(separator: ":").map(String.init)
        directories += ["/usr/bin", "/bin", "/usr/local/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`; stderr goes to a temporary file so a chatty tool cannot block on a full pipe.
    static func run(_ executable: String, _ arguments: [String], scratch: URL) throws(DebianError) -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        let stdout = Pipe()
        let stderrURL = scratch.appendingPathComponent("stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: stderrURL.path, contents: nil),
            let stderrHandle = try? FileHandle(forWritingTo: stderrURL)
        else {
            throw .io(path: stderrURL.path, reason: "cannot create a temporary file")
        }
        defer {
            try? stderrHandle.close()
            try? FileManager.default.removeItem(at: stderrURL)
        }
        process.standardOutput = stdout
        process.standardError = stderrHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .io(path: executable, reason: "cannot run: \(error.localizedDescription)")
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        return ProcessOutput(status: process.terminationStatus, stdout: output, stderr: errors)
    }
}
