/// Name prefixes of what distill leaves in the temporary directory while it works, shared by the
/// code that makes those folders and the sweep that removes the ones whose process is gone.
public enum ScratchPrefix {
    /// Private folders holding an unpacked root filesystem (`distill run`, `distill test`).
    public static let unpackedImage = "distill-run"
    /// OCI runtime bundles.
    public static let bundle = "distill-bundle"
    /// In-memory writable layers shared by a structure test's steps.
    public static let writableLayer = "distill-layer"
}
