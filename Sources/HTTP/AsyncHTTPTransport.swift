import Archive
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The real transport: async-http-client connection pools (one direct, one per proxy), with their own redirects off
/// (``HTTPSession`` follows them).
public final class AsyncHTTPTransport: HTTPTransport {
    private let direct: AsyncHTTPClient.HTTPClient
    private let proxied: [HTTPProxySettings.Endpoint: AsyncHTTPClient.HTTPClient]
    private let options: HTTPOptions

    /// Pools with the timeouts, per-host connection limit and proxies of `options`.
    public init(options: HTTPOptions = HTTPOptions()) {
        self.options = options
        direct = Self.client(options, proxy: nil)
        var proxied: [HTTPProxySettings.Endpoint: AsyncHTTPClient.HTTPClient] = [:]
        for endpoint in [options.proxy.http, options.proxy.https].compactMap({ $0 }) where proxied[endpoint] == nil {
            proxied[endpoint] = Self.client(options, proxy: endpoint)
        }
        self.proxied = proxied
    }

    private static func client(_ options: HTTPOptions, proxy: HTTPProxySettings.Endpoint?) -> AsyncHTTPClient.HTTPClient {
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
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        switch request.body {
        case .none: break
        case .data(let data): outgoing.body = .bytes(ByteBuffer(bytes: data))
        case .file(let path):
            let length: Int64
            do throws(HTTPError) {
                length = try request.body.length(url: request.url)
            } catch {
                throw HTTPTransportError(.bodyUnreadable(path: path), error.description)
            }
            outgoing.body = .stream(FileChunks(path: path), length: .known(length))
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

/// A file read in 256 KiB chunks as it is sent; each iteration opens the file anew, so a retry sends it again.
private struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String

    struct AsyncIterator: AsyncIteratorProtocol {
        let path: String
        var source: FileSource?
        var done = false

        mutating func next() async throws -> ByteBuffer? {
            if done { return nil }
            if source == nil {
                do {
                    source = try FileSource(path: path)
                } catch {
                    throw HTTPTransportError(.bodyUnreadable(path: path), "\(error)")
                }
            }
            guard let source else { return nil }
            var buffer = ByteBufferAllocator().buffer(capacity: 256 << 10)
            let n = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 256 << 10) { try source.read(into: $0) }
            if n == 0 {
                done = true
                return nil
            }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(path: path) }
}
