// Registry: the OCI distribution spec (v1.1) on the shared HTTP client, modelled on apple/swift-container-plugin's
// ContainerRegistry (one concern per file) but streaming: a blob goes into a `ByteSink` or a file, never into memory.
//
// - `RegistryClient` (one per registry host): `/v2/` ping, manifests (GET/HEAD/PUT, OCI and Docker schema 2 media
//   types), blobs (HEAD, streamed GET verified by digest and size), uploads (cross-repository mount, monolithic
//   POST+PUT, chunked PATCH with Content-Range), the referrers API with the tag-schema fallback, and OCI 1.1 artifacts
//   (`pushArtifact`: files as layers, an empty or given config, an optional subject and tag).
// - Auth (`RegistryAuthenticator`): the `WWW-Authenticate` challenge of `/v2/` decides between none, Basic and
//   Bearer; Bearer tokens are fetched per repository scope (pull or pull,push), anonymously or with credentials,
//   and cached per scope until they expire. Credentials come from `RegistryCredentialStore`: an explicit
//   username/password, then `$REGISTRY_AUTH_FILE` or `${XDG_RUNTIME_DIR}/containers/auth.json` (podman), then
//   `~/.docker/config.json` (`credHelpers`, `credsStore`, `auths`), helpers run as `docker-credential-NAME get`.
// - Transport safety: https always, plain http only for hosts named in `RegistryOptions.insecureHosts`; an extra
//   CA (PEM) for a private registry through `HTTPOptions.additionalTrustRoots`. Every value a registry sends back
//   is checked before use: digests in headers (`Docker-Content-Digest`), sizes, `Range`, and `Location` (see
//   `RegistryLocation`), which may move an upload to another host only over https and then without our credentials.
// - Images: `RegistrySource` and `RegistryDestination` are the transport's `ImageSource`/`ImageDestination`. A source
//   keeps manifests in memory and streams blobs into the copier's sink (resuming a broken download with a Range
//   request); a destination uploads blobs as they come (HEAD first, mount within one registry) and holds the
//   manifests until commit, which pushes them by digest and moves the tag last. `RegistryOpener` makes them for
//   `ImageReference.registry`: ImageTransport cannot import this target (which imports it), so the program installs
//   an opener through `RegistryTransport.install` (the CLI does at start, and again with a command's flags).
// - Every failure is a `RegistryError` naming the registry, repository and digest, with what to do.
