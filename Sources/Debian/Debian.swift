// Debian: signed Debian packages, verified end to end, resolved and unpacked for distroless images.
//
// - `DebianSources.standard(distro:mirror:suites:)`: bookworm/trixie with -updates and -security
//   (security on the mirror's `-security` sibling), or an explicit suite list (a frozen mirror).
// - `DebianRepository(sources:cache:keyring:options:progress:http:)` (downloads through the injected
//   `HTTPClient`, by default `HTTPSession.shared`: one connection pool, retries, redirects):
//   `loadIndex(architecture:)` fetches InRelease, verifies it with gpgv (or sqv) against the bundled
//   Debian archive keyring, parses only the verified text, checks Suite/Codename and Valid-Until,
//   then fetches Packages.xz by the SHA256 and size InRelease lists; `fetch(_:)` downloads .debs in
//   parallel, each checked against the SHA256 and size of its index entry. `offline: true` reads the
//   cache only and never opens a connection.
// - `ContentCache`: `blobs/sha256/<hex>` under `$XDG_CACHE_HOME/distill`; entries are hashed while
//   written to `tmp/` and renamed into place only once they match.
// - `Resolver(index:policy:).resolve(_:)` → `Resolution`: Depends and Pre-Depends closure with
//   version relations, alternatives, Provides, Multi-Arch qualifiers; `ResolutionPolicy.distroless`
//   keeps shells, package managers, perl, debconf and awk out; `Resolution.explain(_:)` answers
//   `distill why`.
// - `DebExtractor(filter:).extract(deb:name:into:)` → `DebContents`: staged files as `LayerNode`s,
//   plus `statusEntries` (`var/lib/dpkg/status.d/<pkg>` and `<pkg>.md5sums`).
// - `LockFile`: `distill.lock` (sorted-key JSON), checked against `LockInputs` before use.
// - `DebianVersion`, `Deb822`, `RelationParser`: dpkg's version order and control-file formats.
//
// Every failure is a `DebianError` that names the file, URL, package or line.
