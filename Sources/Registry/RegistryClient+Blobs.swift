import Archive
import Foundation
import HTTP
import ImageFormat
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

extension RegistryClient {
    /// Whether `repository` holds the blob (HEAD); a size or digest in the answer that contradicts `descriptor` is an error.
    public func blobExists(_ repository: String, _ descriptor: Descriptor, push: Bool = false) async throws(RegistryError) -> Bool {
        let request = HTTPRequest(.head, url(repository, "blobs/\(descriptor.digest)"))
        let response = try await send(request, scopes: [RegistryScope(repository, push: push)])
        switch response.status {
        case 200..<300:
            if let announced = try headerDigest(response, repository: repository), announced != descriptor.digest {
                throw .digestMismatch(
                    registry: registry, repository: repository, what: "blob \(descriptor.digest) (HEAD)", expected: descriptor.digest, actual: announced)
            }
            if let size = try headerSize(response, "Content-Length", repository: repository), size != descriptor.size {
                throw .sizeMismatch(registry: registry, repository: repository, what: "blob \(descriptor.digest) (HEAD)", expected: descriptor.size, actual: size)
            }
            return true
        case 404:
            return false
        default:
            throw await failure(response, request: "HEAD blob \(descriptor.digest)", repository: repository, push: push, what: "blob \(descriptor.digest)")
        }
    }

    /// The size of a blob `repository` holds (HEAD), or nil when it has none; a digest in the answer must be `digest`.
    public func blobSize(_ repository: String, _ digest: Digest, push: Bool = false) async throws(RegistryError) -> Int64? {
        let response = try await send(HTTPRequest(.head, url(repository, "blobs/\(digest)")), scopes: [RegistryScope(repository, push: push)])
        switch response.status {
        case 200..<300:
            if let announced = try headerDigest(response, repository: repository), announced != digest {
                throw .digestMismatch(registry: registry, repository: repository, what: "blob \(digest) (HEAD)", expected: digest, actual: announced)
            }
            guard let size = try headerSize(response, "Content-Length", repository: repository) else {
                throw .invalidResponse(registry: registry, repository: repository, reason: "HEAD blob \(digest) has no Content-Length")
            }
            return size
        case 404:
            return nil
        default:
            throw await failure(response, request: "HEAD blob \(digest)", repository: repository, push: push, what: "blob \(digest)")
        }
    }

    /// Streams the blob into `sink`, hashing and counting on the way; throws at the end unless digest and size are
    /// `descriptor`'s, so a caller accepts the bytes only when this returns. A connection lost mid-body is resumed
    /// where it stopped (`Range: bytes=N-`, ``RegistryOptions/transferAttempts`` in all), so the sink, which cannot
    /// be rewound, sees each byte once; a server that ignores the range is refused by size before its body is read,
    /// and anything else wrong is caught by the digest at the end. Corrupt bytes cannot be taken back: that is an
    /// error (``downloadBlob(_:_:to:progress:)`` starts again from nothing instead).
    public func fetchBlob(
        _ repository: String, _ descriptor: Descriptor, into sink: any ByteSink, progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws(RegistryError) {
        guard descriptor.digest.algorithm == "sha256" else {
            throw .unsupportedDigest(registry: registry, repository: repository, digest: descriptor.digest)
        }
        let what = "blob \(descriptor.digest)"
        let hashing = HashingSink(sink)
        var attempt = 0
        while true {
            attempt += 1
            let offset = hashing.count
            var request = HTTPRequest(.get, url(repository, "blobs/\(descriptor.digest)"))
            if offset > 0 { request.headers["Range"] = "bytes=\(offset)-" }
            let report = progress.map { report in { @Sendable (bytes: Int64) in report(offset + bytes) } }
            let response: HTTPResponse
            do throws(RegistryError) {
                response = try await send(
                    request, scopes: [RegistryScope(repository, push: false)], into: hashing, limit: descriptor.size - offset, progress: report)
            } catch .transfer(_, _, .tooLarge(_, _, let size)) {
                throw .sizeMismatch(registry: registry, repository: repository, what: what, expected: descriptor.size, actual: offset + size)
            } catch .transfer(_, _, let underlying) where Self.isResumable(underlying) && attempt < options.transferAttempts {
                continue
            } catch .transfer(_, _, .truncated(_, let received, _)) {
                throw .sizeMismatch(
                    registry: registry, repository: repository, what: what + " (the connection closed early)", expected: descriptor.size,
                    actual: offset + received)
            }
            guard response.isSuccess else {
                throw await failure(response, request: "GET \(what)", repository: repository, push: false, what: what)
            }
            break
        }
        if hashing.count != descriptor.size {
            throw .sizeMismatch(registry: registry, repository: repository, what: what, expected: descriptor.size, actual: hashing.count)
        }
        let actual = hashing.digest
        if actual != descriptor.digest {
            throw .digestMismatch(registry: registry, repository: repository, what: what, expected: descriptor.digest, actual: actual)
        }
    }

    /// A failure mid-body that a range request can pick up from.
    private static func isResumable(_ error: HTTPError) -> Bool {
        switch error {
        case .truncated, .connection, .timedOut: return true
        default: return false
        }
    }

    /// Downloads the blob to `path`: written under a temporary name beside it and renamed only once verified; a broken
    /// connection or corrupt bytes start the download again (``RegistryOptions/transferAttempts`` in all).
    public func downloadBlob(
        _ repository: String, _ descriptor: Descriptor, to path: String, progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws(RegistryError) {
        var attempt = 0
        while true {
            attempt += 1
            let temp = AtomicWrite.temporaryPath(beside: path)
            do throws(RegistryError) {
                let sink: FileSink
                do {
                    sink = try FileSink(path: temp, durable: false)
                } catch {
                    throw .transfer(registry: registry, repository: repository, underlying: .sinkFailed(url: path, reason: "\(error)"))
                }
                try await fetchBlob(repository, descriptor, into: sink, progress: progress)
                do {
                    try sink.finish()
                    try AtomicWrite.rename(temp, to: path)
                } catch {
                    throw .transfer(registry: registry, repository: repository, underlying: .sinkFailed(url: path, reason: "\(error)"))
                }
                return
            } catch {
                unlink(temp)
                if attempt >= options.transferAttempts || !Self.isTransient(error) { throw error }
            }
        }
    }

    /// A small blob (a config) in memory, verified, at most `limit` bytes; retried like ``downloadBlob(_:_:to:progress:)``.
    public func blobData(_ repository: String, _ descriptor: Descriptor, limit: Int64 = 16 << 20) async throws(RegistryError) -> Data {
        guard descriptor.size <= limit else {
            throw .invalidResponse(
                registry: registry, repository: repository, reason: "blob \(descriptor.digest) is \(descriptor.size) bytes, more than the \(limit) read into memory")
        }
        var attempt = 0
        while true {
            attempt += 1
            let sink = DataSink()
            do throws(RegistryError) {
                try await fetchBlob(repository, descriptor, into: sink)
                return sink.data
            } catch {
                if attempt >= options.transferAttempts || !Self.isTransient(error) { throw error }
            }
        }
    }
}
