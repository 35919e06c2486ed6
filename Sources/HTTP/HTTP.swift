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
// - `HTTPProxySettings`: `http_proxy`, `https_proxy`, `no_proxy` read as curl reads them (the URLSession the Debian
//   client used before went through libcurl, so these keep working). async-http-client tunnels every proxied
//   request with CONNECT, plain http too: a proxy that allows CONNECT only to port 443 needs an https:// mirror.
// - `HTTPTransport`: one request on the wire. `AsyncHTTPTransport` is async-http-client; `FakeHTTPClient`
//   (in this target, so any test target can use it) answers from memory through the same session logic.
// - It depends on Archive only for `ByteSink`/`ByteSource` (and `FileSource` for uploads): the smallest change.
//   Those protocols belong in a lower target (the system-support one) once it exists; HTTP would then drop Archive.
//
// Why async-http-client and not URLSession (FoundationNetworking), measured on this project's machine
// (Swift 6.3.1, Debian 12, python's http.server on 127.0.0.1):
// - URLSession passes the two conditions: one session sent 8 GETs and a PUT over 1 connection, and
//   `uploadTask(with:fromFile:)` sent a 300 MB file with a peak RSS of 48 MB (it streams).
// - It fails on downloads: its data delegate is handed chunks as fast as the network delivers them, whatever
//   the consumer does. A 100 MB download into a sink taking 2 ms per chunk peaked at 137 MB RSS (the whole
//   body buffered); through async-http-client the same sink raised the peak by 7 MB, because the response body
//   is an AsyncSequence read at the sink's pace (NIO stops reading the socket). Registry layers are gigabytes.
// - async-http-client also gives request bodies as AsyncSequences (`FileChunks`, 256 KiB reads), a connection
//   pool per host with a limit, connect and idle-read timeouts, typed errors (`HTTPClientError`,
//   `NIOConnectionError`, `IOError`, `HTTPParserError`) that map onto retry decisions, and a redirect policy
//   that can be switched off so this module applies its own (the same code then runs in the fake). It is the
//   Linux server ecosystem's standard client (SwiftNIO), with HTTP/2 and TLS (BoringSSL) built in.
// Cost: SwiftNIO, NIOSSL (BoringSSL, C) and their helpers compile from source on every clean clone. Built alone,
// async-http-client 1.37.0 and its dependencies took 473 CPU-seconds (438 user + 35 sys), about 4 minutes of
// wall time on 2 idle cores (20 minutes when measured with four other builds sharing the cores).
