import Archive
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Streams HTTP GET bodies into a ``ByteSink`` with URLSession, never holding a body in memory.
public struct HTTPDownloader: Sendable {
    /// Seconds without any data before a transfer is abandoned.
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 60) { self.timeout = timeout }

    /// Downloads `url` into `sink`; calls `progress` with the byte count so far. Returns the number of bytes received.
    ///
    /// Stops with an error as soon as the body exceeds `limit` bytes (a promised size), on an HTTP status other
    /// than 200, or when the connection breaks before the announced length arrived.
    public func download(
        _ url: String, into sink: ByteSink, limit: Int64? = nil, progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws(DebianError) -> Int64 {
        guard let requestURL = URL(string: url), let scheme = requestURL.scheme, scheme == "http" || scheme == "https" else {
            throw .downloadFailed(url: url, reason: "not an http(s) URL")
        }
        let transfer = Transfer(url: url, sink: sink, limit: limit, progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: transfer, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: requestURL)
        request.setValue("distill", forHTTPHeaderField: "User-Agent")
        let task = session.dataTask(with: request)
        let outcome: Result<Int64, DebianError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.start(continuation)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
        return try outcome.get()
    }
}

/// Per-transfer URLSession delegate: writes each chunk to the sink and reports the outcome once.
private final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // Mutable state is touched only from the session's serial delegate queue, except `start`,
    // which happens before the task is resumed.
    let url: String
    let sink: ByteSink
    let limit: Int64?
    let progress: (@Sendable (Int64) -> Void)?
    private var received: Int64 = 0
    private var failure: DebianError?
    private var continuation: CheckedContinuation<Result<Int64, DebianError>, Never>?
    private let lock = NSLock()

    init(url: String, sink: ByteSink, limit: Int64?, progress: (@Sendable (Int64) -> Void)?) {
        self.url = url
        self.sink = sink
        self.limit = limit
        self.progress = progress
    }

    func start(_ continuation: CheckedContinuation<Result<Int64, DebianError>, Never>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    private func finish(_ result: Result<Int64, DebianError>) {
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(returning: result)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
            failure = .httpStatus(url: url, status: http.statusCode)
            completionHandler(.cancel)
            return
        }
        if let limit, response.expectedContentLength > limit {
            failure = .sizeMismatch(file: url, expected: limit, actual: response.expectedContentLength)
            completionHandler(.cancel)
            // On Linux the disposition alone leaves libcurl reading the whole body (all 10 GB of a lying
            // Content-Length); cancelling the task closes the connection.
            dataTask.cancel()
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if failure != nil { return }
        received += Int64(data.count)
        if let limit, received > limit {
            failure = .sizeMismatch(file: url, expected: limit, actual: received)
            dataTask.cancel()
            return
        }
        do {
            try sink.write(data)
        } catch {
            failure = .io(path: url, reason: "cannot store the download: \(error)")
            dataTask.cancel()
            return
        }
        progress?(received)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let failure {
            finish(.failure(failure))
        } else if let error {
            let reason = (error as NSError).code == NSURLErrorCancelled ? "cancelled" : error.localizedDescription
            finish(.failure(.downloadFailed(url: url, reason: reason)))
        } else if let http = task.response as? HTTPURLResponse, http.statusCode != 200 {
            finish(.failure(.httpStatus(url: url, status: http.statusCode)))
        } else if let expected = task.response?.expectedContentLength, expected >= 0, expected != received {
            finish(.failure(.downloadFailed(url: url, reason: "connection closed after \(received) of \(expected) bytes")))
        } else {
            finish(.success(received))
        }
    }
}
