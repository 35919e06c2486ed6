import Foundation
import ImageFormat

/// One OSV record read, checked and reduced to what the database stores, ready to be written.
struct PreparedRecord: Sendable {
    var name: String
    var data: Data
    /// SHA256 of `data`, hex.
    var digest: String
    var id: String
    var modified: String
    /// ``AdvisoryCard`` in its stored form.
    var card: Data
    /// Each (ecosystem, package key) the record names, with its ``PackageEntries`` in stored form.
    var packages: [(ecosystem: String, name: String, entries: Data)]
}

/// Reads an import source's documents on one thread and parses them on others, handing them to the
/// database writer in file order: parsing, not SQLite, is most of an import, and it need not wait for it.
///
/// At most `window` batches are read ahead, so memory stays bounded. An error (a record that does not parse,
/// a damaged zip) is thrown by ``next()`` at its place in file order, after every record before it.
final class RecordPipeline: @unchecked Sendable {
    private struct Stopped: Error {}

    private let files: RecordFiles
    private let batchSize: Int
    private let window: Int
    private let condition = NSCondition()
    private var parsed: [Int: [Result<PreparedRecord, any Error>]] = [:]
    private var submitted = 0
    private var consumed = 0
    private var readingDone = false
    private var readerFinished = false
    private var readError: (any Error)?
    private var cancelled = false
    private var folderHash: String?
    private var current: [Result<PreparedRecord, any Error>] = []
    private var position = 0

    /// Starts reading `files`.
    init(files: RecordFiles, batchSize: Int = 128, window: Int = 8) {
        self.files = files
        self.batchSize = batchSize
        self.window = window
        let thread = Thread { [self] in read() }
        thread.name = "distill-osv-read"
        thread.start()
    }

    /// The next record in file order, nil after the last; throws the first error in file order.
    func next() throws -> PreparedRecord? {
        while true {
            if position < current.count {
                defer { position += 1 }
                return try current[position].get()
            }
            condition.lock()
            while parsed[consumed] == nil && !(readingDone && consumed >= submitted) { condition.wait() }
            if let batch = parsed.removeValue(forKey: consumed) {
                consumed += 1
                condition.broadcast()
                condition.unlock()
                current = batch
                position = 0
                continue
            }
            let error = readError
            condition.unlock()
            if let error { throw error }
            return nil
        }
    }

    /// SHA256 over a folder's file names and bytes in file order (nil for a zip); known once ``next()`` returned nil.
    var folderDigest: String? { condition.withLock { folderHash } }

    /// Stops reading and waits for the reading thread, so `files` is no longer in use.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !readerFinished { condition.wait() }
        condition.unlock()
    }

    private func read() {
        var hasher = SHA256Hasher()
        var batch: [(String, Data)] = []
        do {
            try files.forEach { name, data in
                if files.kind != .zip {
                    hasher.update(Data(name.utf8) + [0])
                    hasher.update(data)
                }
                batch.append((name, data))
                if batch.count == batchSize {
                    try submit(batch)
                    batch = []
                }
            }
            if !batch.isEmpty { try submit(batch) }
            let digest = files.kind == .zip ? nil : hasher.finalize().encoded
            condition.withLock { folderHash = digest }
            finishReading(nil)
        } catch is Stopped {
            finishReading(nil)
        } catch {
            finishReading(error)
        }
    }

    private func finishReading(_ error: (any Error)?) {
        condition.lock()
        readError = error
        readingDone = true
        readerFinished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for room in the window, then parses `batch` on a worker thread.
    private func submit(_ batch: [(String, Data)]) throws {
        condition.lock()
        while submitted - consumed >= window && !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            throw Stopped()
        }
        let index = submitted
        submitted += 1
        condition.unlock()
        let path = files.path
        DispatchQueue.global().async { [self] in
            let prepared = batch.map { name, data in Self.prepare(name: name, data: data, what: "\(path): \(name)") }
            condition.lock()
            parsed[index] = prepared
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Parses and reduces one document; pure, so any thread may run it.
    static func prepare(name: String, data: Data, what: String) -> Result<PreparedRecord, any Error> {
        do {
            let record = try OSVRecord(parsing: data, what: what)
            return .success(
                PreparedRecord(
                    name: name, data: data, digest: Digest.sha256(of: data).encoded, id: record.id, modified: record.modified,
                    card: AdvisoryCard(record).encoded(),
                    packages: PackageEntries.grouped(record).map { ($0.ecosystem, $0.name, $0.entries.encoded()) }))
        } catch {
            return .failure(error)
        }
    }
}
