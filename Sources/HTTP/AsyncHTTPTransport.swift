import Archive
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The real transport: async-http-client connection pools (one direct, one per proxy), with their own redirects off
/// (``HTTPSession`` follows them).
public final class AsyncHTTPTransport: HTTPTransport {
    private let direct: AsyncHTTPClient.HTTPClient
    private let proxied: [HTTPProxySettings.Endpoint: AsyncHTTPClient.HTTPClient]
    private let options: HTTPOptions
    /// Why the extra trust roots could not be loaded: every request fails with it rather than trusting less (or more).
    private let trustRootsFailure: HTTPTransportError?

    /// Pools with the timeouts, per-host connection limit, proxies and extra trust roots of `options`.
    public init(options: HTTPOptions = HTTPOptions()) {
        self.options = options
        var tls: TLSConfiguration?
        var failure: HTTPTransportError?
        if !options.additionalTrustRoots.isEmpty {
            // Loaded now, so a missing or malformed file is reported once, by name, instead of as a failed handshake.
            var configuration = TLSConfiguration.makeClientConfiguration()
            var certificates: [NIOSSLCertificate] = []
            for path in options.additionalTrustRoots {
                do {
                    let loaded = try NIOSSLCertificate.fromPEMFile(path)
                    if loaded.isEmpty { throw HTTPTransportError(.other, "it holds no PEM certificate") }
                    certificates += loaded
                } catch {
                    failure = HTTPTransportError(.other, "the CA certificate file \(path) cannot be used: \(error)")
                }
            }
            configuration.additionalTrustRoots = [.certificates(certificates)]
            tls = configuration
        }
        trustRootsFailure = failure
        direct = Self.client(options, tls: tls, proxy: nil)
        var proxied: [HTTPProxySettings.Endpoint: AsyncHTTPClient.HTTPClient] = [:]
        for endpoint in [options.proxy.http, options.proxy.https].compactMap({ $0 }) where proxied[endpoint] == nil {
            proxied[endpoint] = Self.client(options, tls: tls, proxy: endpoint)
        }
        self.proxied = proxied
    }

    private static func client(
        _ options: HTTPOptions, tls: TLSConfiguration?, proxy: HTTPProxySettings.Endpoint?
    ) -> AsyncHTTPClient.HTTPClient {
        var pool = AsyncHTTPClient.HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: options.maxConnectionsPerHost)
        // A refused connection is reported at once; the session decides about retries.
        pool.retryConnectionEstablishment = false
        var configuration = AsyncHTTPClient.HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: amount(options.connectTimeout), read: amount(options.idleTimeout), write: amount(options.idleTimeout)),
            connectionPool: pool, decompression: .disabled)
        configuration.httpVersion = .automatic
        if let tls { configuration.tlsConfiguration = tls }
        if let proxy {
            let authorization = proxy.credentials.map { AsyncHTTPClient.HTTPClient.Authorization.basic(credentials: Data($0.utf8).base64EncodedString()) }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        return AsyncHTTPClient.HTTPClient(eventLoopGroup: AsyncHTTPClient.HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    deinit {
        // async-http-client insists on a shutdown before it is released; one already done fails quietly here.
        for client in [direct] + Array(proxied.values) { client.shutdown(queue: .global()) { _ in } }
    }

    public func shutdown() async {
        for client in [direct] + Array(proxied.values) { try? await client.shutdown() }
    }

    public func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPTransportResponse {
        if let trustRootsFailure { throw trustRootsFailure }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        switch request.body {
        case .none: break
        case .data(let data): outgoing.body = .bytes(ByteBuffer(bytes: data))
        case .file(let path), .fileRange(let path, _, _):
            let length: Int64
            do throws(HTTPError) {
                length = try request.body.length(url: request.url)
            } catch {
                throw HTTPTransportError(.bodyUnreadable(path: path), error.description)
            }
            var offset: Int64 = 0
            if case .fileRange(_, let start, _) = request.body { offset = start }
            outgoing.body = .stream(FileChunks(path: path, offset: offset, length: length), length: .known(length))
        }
        let response: HTTPClientResponse
        do {
            let client = URL(string: request.url).flatMap(options.proxy.proxy(for:)).flatMap { proxied[$0] } ?? direct
            response = try await client.execute(outgoing, deadline: .distantFuture)
        } catch {
            throw classify(error)
        }
        var headers = HTTPHeaders()
        for field in response.headers { headers.add(field.name, field.value) }
        return HTTPTransportResponse(
            status: Int(response.status.code), headers: headers, body: BodyReader(iterator: response.body.makeAsyncIterator(), classify: classify))
    }

    /// Sorts async-http-client's and NIO's errors into what the session needs to decide on a retry.
    private func classify(_ error: any Error) -> HTTPTransportError {
        if let error = error as? HTTPTransportError { return error }
        if error is CancellationError { return HTTPTransportError(.cancelled, "cancelled") }
        if let error = error as? HTTPClientError {
            switch error {
            case .remoteConnectionClosed: return HTTPTransportError(.connectionLost, "the server closed the connection")
            case .readTimeout, .writeTimeout: return HTTPTransportError(.timedOut(seconds: Self.seconds(options.idleTimeout)), "no data")
            case .connectTimeout: return HTTPTransportError(.timedOut(seconds: Self.seconds(options.connectTimeout)), "no connection")
            case .cancelled, .requestStreamCancelled: return HTTPTransportError(.cancelled, "cancelled")
            default: return HTTPTransportError(.other, "\(error)")
            }
        }
        if let error = error as? HTTPParserError, error == .invalidEOFState {
            return HTTPTransportError(.connectionLost, "the connection closed before the answer was complete")
        }
        if let error = error as? NIOConnectionError {
            let reason = error.connectionErrors.last.map { "\($0.error)" } ?? error.description
            return HTTPTransportError(.unreachable, reason)
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH: return HTTPTransportError(.unreachable, "\(error)")
            case ECONNRESET, EPIPE, ECONNABORTED: return HTTPTransportError(.connectionLost, "\(error)")
            default: return HTTPTransportError(.other, "\(error)")
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return HTTPTransportError(.timedOut(seconds: Self.seconds(options.connectTimeout)), "no connection")
            case .eof, .ioOnClosedChannel, .outputClosed, .alreadyClosed:
                return HTTPTransportError(.connectionLost, "the connection closed")
            default: return HTTPTransportError(.other, "\(error)")
            }
        }
        return HTTPTransportError(.other, "\(error)")
    }

    private static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A response body from async-http-client, chunk by chunk.
private struct BodyReader: HTTPBodyReader {
    var iterator: HTTPClientResponse.Body.AsyncIterator
    let classify: (any Error) -> HTTPTransportError

    mutating func next(_ consume: (UnsafeRawBufferPointer) -> Void) async throws(HTTPTransportError) -> Bool {
        do {
            guard let buffer = try await iterator.next() else { return false }
            buffer.withUnsafeReadableBytes { consume($0) }
            return true
        } catch {
            throw classify(error)
        }
    }
}

/// A file (or `length` bytes of it from `offset`) read in 256 KiB chunks as it is sent; each iteration opens
/// the file anew, so a retry sends it again.
private struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let offset: Int64
    let length: Int64

    /// An open descriptor, closed when the last iterator holding it goes (a cancelled upload too).
    final class OpenFile {
        let fd: Int32
        init(_ path: String) throws(HTTPTransportError) {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw HTTPTransportError(.bodyUnreadable(path: path), String(cString: strerror(errno))) }
        }
        deinit { close(fd) }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let path: String
        var position: Int64
        var remaining: Int64
        var file: OpenFile?

        mutating func next() async throws -> ByteBuffer? {
            if remaining <= 0 {
                file = nil
                return nil
            }
            let fd: Int32
            if let file {
                fd = file.fd
            } else {
                let opened = try OpenFile(path)
                file = opened
                fd = opened.fd
            }
            let want = Int(Swift.min(remaining, 256 << 10))
            var buffer = ByteBufferAllocator().buffer(capacity: want)
            let (path, start) = (path, position)
            let n = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { raw in
                while true {
                    let n = pread(fd, raw.baseAddress, want, off_t(start))
                    if n >= 0 { return n }
                    if errno != EINTR { throw HTTPTransportError(.bodyUnreadable(path: path), String(cString: strerror(errno))) }
                }
            }
            if n == 0 {
                file = nil
                throw HTTPTransportError(.bodyUnreadable(path: path), "the file ended \(remaining) bytes early (it changed while being sent)")
            }
            position += Int64(n)
            remaining -= Int64(n)
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(path: path, position: offset, remaining: length) }
}
