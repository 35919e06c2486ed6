import Foundation
import HTTP
import ImageFormat

/// What pushing a blob took.
public enum BlobPushOutcome: Sendable, Equatable {
    /// The repository already had it: nothing was sent.
    case present
    /// Mounted from another repository of the same registry: nothing was sent.
    case mounted(from: String)
    /// Its bytes were uploaded.
    case uploaded
}

extension RegistryClient {
    /// Makes sure `repository` holds the blob stored in `file`: HEAD first, then a cross-repository mount from each
    /// of `mountFrom`, and only then an upload. An unchanged layer is therefore never sent twice.
    public func pushBlob(
        _ repository: String, _ descriptor: Descriptor, file: String, mountFrom: [String] = []
    ) async throws(RegistryError) -> BlobPushOutcome {
        if try await blobExists(repository, descriptor, push: true) { return .present }
        var session: RegistryLocation?
        for source in mountFrom where source != repository {
            switch try await mount(repository, descriptor, from: source) {
            case .mounted: return .mounted(from: source)
            case .session(let location): session = location
            }
        }
        try await upload(repository, descriptor, file: file, session: session)
        return .uploaded
    }

    /// The answer to a mount request.
    enum MountResult {
        /// The registry linked the blob: done.
        case mounted
        /// It could not (no such blob there, or no pull access) and opened an upload session instead.
        case session(RegistryLocation)
    }

    /// `POST /v2/<repository>/blobs/uploads/?mount=<digest>&from=<source>`.
    func mount(_ repository: String, _ descriptor: Descriptor, from source: String) async throws(RegistryError) -> MountResult {
        var target = url(repository, "blobs/uploads/")
        target = RegistryLocation.addingQuery(target, "mount", descriptor.digest.description)
        target = RegistryLocation.addingQuery(target, "from", source)
        let scopes = [RegistryScope(repository, push: true), RegistryScope(source, push: false)]
        let response = try await send(HTTPRequest(.post, target), scopes: scopes)
        switch response.status {
        case 201:
            if let announced = try headerDigest(response, repository: repository), announced != descriptor.digest {
                throw .digestMismatch(
                    registry: registry, repository: repository, what: "blob mounted from \(source)", expected: descriptor.digest, actual: announced)
            }
            return .mounted
        case 202:
            return .session(try location(response, repository: repository))
        default:
            throw await failure(response, request: "mount of \(descriptor.digest) from \(source)", repository: repository, push: true, what: "the upload endpoint")
        }
    }

    /// Uploads the blob in `file` (checked against `descriptor`'s size first): one PUT, or PATCH chunks when
    /// ``RegistryOptions/chunkSize`` is smaller than the blob. A lost connection or a failed session starts the
    /// upload again from a new session (``RegistryOptions/transferAttempts`` in all).
    public func upload(_ repository: String, _ descriptor: Descriptor, file: String) async throws(RegistryError) {
        try await upload(repository, descriptor, file: file, session: nil)
    }

    /// ``upload(_:_:file:)`` starting with an upload session already open (the one a refused mount opened).
    func upload(_ repository: String, _ descriptor: Descriptor, file: String, session: RegistryLocation?) async throws(RegistryError) {
        guard descriptor.digest.algorithm == "sha256" else {
            throw .unsupportedDigest(registry: registry, repository: repository, digest: descriptor.digest)
        }
        var info = stat()
        guard stat(file, &info) == 0, Int64(info.st_size) == descriptor.size else {
            throw .sizeMismatch(
                registry: registry, repository: repository, what: "the local file \(file) of blob \(descriptor.digest)", expected: descriptor.size,
                actual: Int64(info.st_size))
        }
        var session = session
        var attempt = 0
        while true {
            attempt += 1
            do throws(RegistryError) {
                let start: RegistryLocation
                if let session {
                    start = session
                } else {
                    start = try await startUpload(repository)
                }
                session = nil
                if let chunkSize = options.chunkSize, descriptor.size > chunkSize {
                    try await putChunked(repository, descriptor, file: file, at: start, chunkSize: chunkSize)
                } else {
                    try await putMonolithic(repository, descriptor, file: file, at: start)
                }
                return
            } catch {
                if attempt >= options.transferAttempts || !Self.isTransient(error) { throw error }
            }
        }
    }

    /// `POST /v2/<repository>/blobs/uploads/`: a new upload session.
    func startUpload(_ repository: String) async throws(RegistryError) -> RegistryLocation {
        let response = try await send(HTTPRequest(.post, url(repository, "blobs/uploads/")), scopes: [RegistryScope(repository, push: true)])
        guard response.status == 202 else {
            throw await failure(response, request: "POST upload", repository: repository, push: true, what: "the upload endpoint")
        }
        return try location(response, repository: repository)
    }

    /// `PUT <location>&digest=<digest>` with the whole file.
    private func putMonolithic(_ repository: String, _ descriptor: Descriptor, file: String, at location: RegistryLocation) async throws(RegistryError) {
        let target = RegistryLocation.addingQuery(location.url, "digest", descriptor.digest.description)
        let request = HTTPRequest(.put, target, headers: ["Content-Type": "application/octet-stream"], body: .file(path: file))
        let response = try await send(request, scopes: location.sameOrigin ? [RegistryScope(repository, push: true)] : [])
        try await finishUpload(response, repository, descriptor)
    }

    /// PATCH chunks with `Content-Range`, following the new `Location` after each and resuming where the registry's
    /// `Range` says it got to; then `PUT <location>&digest=<digest>` without a body.
    private func putChunked(
        _ repository: String, _ descriptor: Descriptor, file: String, at start: RegistryLocation, chunkSize: Int64
    ) async throws(RegistryError) {
        var location = start
        var offset: Int64 = 0
        var stalls = 0
        let scopes = [RegistryScope(repository, push: true)]
        while offset < descriptor.size {
            let length = min(chunkSize, descriptor.size - offset)
            let request = HTTPRequest(
                .patch, location.url,
                headers: ["Content-Type": "application/octet-stream", "Content-Range": "\(offset)-\(offset + length - 1)"],
                body: .fileRange(path: file, offset: offset, length: length))
            let response = try await send(request, scopes: location.sameOrigin ? scopes : [])
            guard response.status == 202 else {
                throw await failure(response, request: "PATCH blob \(descriptor.digest) bytes \(offset)-", repository: repository, push: true, what: "the upload session")
            }
            location = try self.location(response, repository: repository)
            let received = try rangeEnd(response, repository: repository).map { $0 + 1 } ?? offset + length
            guard received <= offset + length, received >= 0 else {
                throw .invalidResponse(
                    registry: registry, repository: repository,
                    reason: "after bytes \(offset)-\(offset + length - 1) of \(descriptor.digest) the registry says it holds \(received)")
            }
            stalls = received > offset ? 0 : stalls + 1
            if stalls >= 3 {
                throw .invalidResponse(registry: registry, repository: repository, reason: "the upload of \(descriptor.digest) makes no progress at byte \(offset)")
            }
            offset = received
        }
        let target = RegistryLocation.addingQuery(location.url, "digest", descriptor.digest.description)
        let response = try await send(HTTPRequest(.put, target), scopes: location.sameOrigin ? scopes : [])
        try await finishUpload(response, repository, descriptor)
    }

    private func finishUpload(_ response: HTTPResponse, _ repository: String, _ descriptor: Descriptor) async throws(RegistryError) {
        guard response.status == 201 || response.status == 204 || response.status == 200 else {
            throw await failure(response, request: "PUT blob \(descriptor.digest)", repository: repository, push: true, what: "the upload session")
        }
        if let announced = try headerDigest(response, repository: repository), announced != descriptor.digest {
            throw .digestMismatch(registry: registry, repository: repository, what: "uploaded blob", expected: descriptor.digest, actual: announced)
        }
    }

    /// The validated `Location` of an upload answer.
    private func location(_ response: HTTPResponse, repository: String) throws(RegistryError) -> RegistryLocation {
        try RegistryLocation.resolve(response.headers["Location"], answering: response.url, base: baseURL, registry: registry, repository: repository, options: options)
    }

    /// The last byte offset in `Range: 0-<end>` (nil when absent; `0-0` with nothing received is read as -1 by some registries).
    private func rangeEnd(_ response: HTTPResponse, repository: String) throws(RegistryError) -> Int64? {
        guard let value = response.headers["Range"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        let text = value.hasPrefix("bytes=") ? String(value.dropFirst(6)) : value
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "0", let end = Int64(parts[1]), end >= 0 else {
            throw .invalidResponse(registry: registry, repository: repository, reason: "Range '\(value.prefix(60))' is not 0-<end>")
        }
        return end
    }
}
