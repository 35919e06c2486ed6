// HTTP: the one HTTP client of distill. Debian downloads use it; registry, PyPI and OSV downloads will.
//
// - `HTTPClient` (protocol): `send(_:into:limit:progress:)` and the helpers `get(_:into:limit:progress:)`
//   (streamed into a `ByteSink`, bounded), `head(_:)`, `data(_:)` (small bodies), `upload`/`put`/`post`/`patch`
//   (a body from memory or streamed from a file). Non-2xx answers are `HTTPError.status`, naming method, URL and status.
// - `HTTPSession`: the real client. Redirects (at most 10; credentials dropped when scheme, host or port change;
//   https → http refused), retries with exponential backoff on 408/429/500/502/503/504 and on lost connections,
//   honouring `Retry-After` (seconds or HTTP date, up to a bound), size bounds checked against Content-Length
//   before the first byte and while streaming, truncation detected against Content-Length. A body already
//   partly written to the caller's sink is never retried (a sink cannot be rewound): that is `truncated`.
//   `HTTPSession.shared` is the process-wide instance, so every download shares one connection pool.
// - `HTTPTransport`: one request on the wire. `AsyncHTTPTransport` is async-http-client; `FakeHTTPClient`
//   (in this target, so any test target can use it) answers from memory through the same session logic.
//
// Why async-http-client and not URLSession (FoundationNetworking):
// - Streaming both ways with back-pressure: the response body is an AsyncSequence read at the sink's pace,
//   and a request body is an AsyncSequence (`FileChunks` reads 256 KiB at a time). URLSession's data delegate
//   pushes chunks as fast as the network delivers them whatever the sink does, and the per-file session the
//   Debian client used could not reuse a connection.
// - One connection pool per process with a per-host limit and idle reuse (proved by a test counting the server's
//   connections), explicit connect and idle-read timeouts, and typed errors (`HTTPClientError`,
//   `NIOConnectionError`, `IOError`) that map to retry decisions; the redirect policy can be switched off so
//   the session applies its own (the same code then runs in the fake).
// - It is the Linux server ecosystem's standard client (SwiftNIO), with HTTP/2 and TLS without libcurl.
// Cost: SwiftNIO, NIOSSL (BoringSSL) and their helpers are compiled from source; the clean-build time measured
// on the project's 2-core machine is in the README ("HTTP").
