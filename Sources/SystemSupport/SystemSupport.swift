// SystemSupport: what every distill module needs from the operating system, done once and safely.
//
// - `PrivateDirectory`: scratch space made with mkdtemp (mode 0700, owner checked), removed by
//   file descriptor, never by path, so a link swapped in by another user is never followed.
// - `FileTree`: removal of a directory tree walking down from a descriptor (`openat` with
//   `O_NOFOLLOW`, `unlinkat`), refusing to cross into another mount.
// - `ProcessLiveness`: whether the distill process that made a scratch folder, bundle or
//   container is gone, so sweeps remove only what dead processes left.
//
// distill runs as root on shared machines and is Linux-only (runc, overlayfs, mkdtemp, openat).

#if !os(Linux)
    #error("distill is Linux-only: it runs containers with runc on overlayfs, and its file-system safety relies on Linux's openat/mkdtemp semantics")
#endif
