import Foundation

/// How an ``HTTPSession`` behaves: timeouts, redirects, retries, connection pool.
public struct HTTPOptions: Sendable {
    /// Longest wait for a connection to open.
    public var connectTimeout: Duration
    /// Longest wait for the next byte of an answer (a stalled transfer is abandoned; a slow one is not).
    public var idleTimeout: Duration
    /// Redirects followed before giving up.
    public var maxRedirects: Int
    /// When and how long to wait before sending a failed request again.
    public var retry: RetryPolicy
    /// Connections kept open per host for reuse.
    public var maxConnectionsPerHost: Int
    /// The User-Agent header sent unless the request has one.
    public var userAgent: String
    /// Proxies by scheme, and the hosts reached without one.
    public var proxy: HTTPProxySettings
    /// PEM files of CA certificates trusted for https besides the system's (a registry with a private CA).
    public var additionalTrustRoots: [String]

    /// Defaults: 10 s to connect, 60 s without data, 10 redirects, 4 attempts, 8 connections per host, proxies from the environment.
    public init(
        connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60), maxRedirects: Int = 10,
        retry: RetryPolicy = RetryPolicy(), maxConnectionsPerHost: Int = 8, userAgent: String = "distill",
        proxy: HTTPProxySettings = .environment(), additionalTrustRoots: [String] = []
    ) {
        self.proxy = proxy
        self.additionalTrustRoots = additionalTrustRoots
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maxRedirects = max(0, maxRedirects)
        self.retry = retry
        self.maxConnectionsPerHost = max(1, maxConnectionsPerHost)
        self.userAgent = userAgent
    }
}

/// Retries with exponential backoff for 408, 429, 500, 502, 503, 504 and lost connections, honouring `Retry-After`;
/// POST and PATCH only when the server says it did not act (408, 429, 503).
public struct RetryPolicy: Sendable {
    /// Sends in all, the first one included (1 disables retries).
    public var maxAttempts: Int
    /// The wait before the first retry; it doubles for each further one.
    public var baseDelay: Duration
    /// The longest computed wait.
    public var maxDelay: Duration
    /// A `Retry-After` longer than this is not waited for: the error is reported instead.
    public var maxRetryAfter: Duration
    /// Statuses worth another try for GET, HEAD, PUT and DELETE (idempotent: sending twice does no harm).
    public var retryableStatuses: Set<Int>
    /// Statuses that say the server did not act, so POST and PATCH may be sent again too.
    public var notProcessedStatuses: Set<Int> = [408, 429, 503]
    /// Waits between attempts; tests replace it to record the waits.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(60), retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504],
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.retryableStatuses = retryableStatuses
        self.sleep = sleep
    }

    /// Whether `status` (nil: the connection was lost) is worth sending `method` again.
    public func shouldRetry(_ method: HTTPMethod, status: Int?) -> Bool {
        let idempotent = method != .post && method != .patch
        guard let status else { return idempotent }
        return idempotent ? retryableStatuses.contains(status) : notProcessedStatuses.contains(status)
    }

    /// No retries at all.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1` after `attempt` failed: the server's `Retry-After` when it sent one,
    /// else `baseDelay · 2^(attempt-1)` capped at `maxDelay`. Nil when no further attempt should be made.
    public func waitBeforeRetry(after attempt: Int, retryAfter: String?, now: Date = Date()) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter, let asked = Self.parseRetryAfter(retryAfter, now: now) {
            return asked <= maxRetryAfter ? asked : nil
        }
        let factor = 1 << min(attempt - 1, 20)
        return min(baseDelay * factor, maxDelay)
    }

    /// `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); nil when it is neither.
    static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(text), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
