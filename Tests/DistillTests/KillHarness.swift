import Archive
import Foundation
import ImageFormat
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `distill` and kills it with SIGKILL at a chosen moment, for the crash-safety tests.
enum KillHarness {
    /// How a run ended.
    enum Ending: Equatable {
        /// It exited by itself (before the kill was due) with this status.
        case exited(Int32)
        /// SIGKILL ended it.
        case killed
    }

    /// Starts `distill ARGS…` in `cwd`, sends SIGKILL after `delay` seconds unless it ended first, and waits for it.
    static func run(_ arguments: [String], in cwd: String, environment: [String: String], killAfter delay: Double?) throws -> Ending {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DistillCLI.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if let delay {
            let deadline = Date().addingTimeInterval(delay)
            while process.isRunning && Date() < deadline { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL { return .killed }
        return .exited(process.terminationStatus)
    }

    /// Runs to the end; throws with distill's own error output unless it exits 0. Returns the seconds it took.
    @discardableResult
    static func complete(_ arguments: [String], in cwd: String, environment: [String: String]) throws -> Double {
        let start = Date()
        let result = try Tool.run([DistillCLI.executable] + arguments, environment: environment, cwd: cwd)
        guard result.status == 0 else {
            throw FixtureError("distill \(arguments.joined(separator: " ")) exited \(result.status) after a kill: \(result.stderr)")
        }
        return Date().timeIntervalSince(start)
    }

    /// What is wrong with the content-addressed cache below `root` (`$XDG_CACHE_HOME/distill`): every
    /// `blobs/sha256/<hex>` must hash to its name, every layer record must match its blob, every reference
    /// must name a blob. Empty when all is well.
    static func cacheProblems(_ root: String) -> [String] {
        var problems: [String] = []
        let fm = FileManager.default
        let blobs = root + "/blobs/sha256"
        for name in (try? fm.contentsOfDirectory(atPath: blobs)) ?? [] {
            guard let expected = try? Digest(sha256Hex: name) else {
                problems.append("blobs/sha256/\(name): not a sha256 name")
                continue
            }
            let actual = try? Digest.sha256(ofFile: blobs + "/" + name)
            if actual != expected { problems.append("blobs/sha256/\(name) hashes to \(actual?.description ?? "nothing")") }
        }
        struct LayerRecord: Decodable {
            var digest: Digest
            var size: Int64
        }
        let layers = root + "/layers"
        for name in (try? fm.contentsOfDirectory(atPath: layers)) ?? [] where name.hasSuffix(".json") {
            guard let data = fm.contents(atPath: layers + "/" + name) else { continue }
            if name.hasSuffix(".index.json") || name.hasSuffix(".catalog-1.json") {
                // A stage's index (the OS layer's is one JSON string of lines) and its SBOM catalog: whole JSON, or not there at all.
                if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil { problems.append("layers/\(name): not JSON") }
                continue
            }
            guard let record = try? JSONDecoder().decode(LayerRecord.self, from: data) else {
                problems.append("layers/\(name): not a layer record")
                continue
            }
            let blob = layers + "/" + name.replacingOccurrences(of: ".json", with: ".blob")
            let actual = try? Digest.sha256(ofFile: blob)
            if actual != record.digest { problems.append("layers/\(name) names \(record.digest), its blob hashes to \(actual?.description ?? "nothing")") }
        }
        let refs = root + "/refs"
        for name in (try? fm.contentsOfDirectory(atPath: refs)) ?? [] {
            let hex = String(decoding: fm.contents(atPath: refs + "/" + name) ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !fm.fileExists(atPath: blobs + "/" + hex) { problems.append("refs/\(name) names \(hex), which is not in the cache") }
        }
        return problems
    }

    /// The digest of the one image an OCI layout's index.json names, or nil when it has none.
    static func layoutDigest(_ layout: String) -> String? {
        struct Index: Decodable {
            struct Entry: Decodable { var digest: String }
            var manifests: [Entry]
        }
        guard let data = FileManager.default.contents(atPath: layout + "/index.json"),
            let index = try? JSONDecoder().decode(Index.self, from: data), index.manifests.count == 1
        else { return nil }
        return index.manifests[0].digest
    }

    /// sha256 of a file, or nil.
    static func fileDigest(_ path: String) -> Digest? { try? Digest.sha256(ofFile: path) }

    /// Removes paths (files or folders) that exist.
    static func remove(_ paths: [String]) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }
}

extension SeededRandom {
    /// The seed to use: `DISTILL_KILL_SEED`, else a fresh one (printed by the test on failure).
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["DISTILL_KILL_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
    }
}
