import Foundation
import ImageFormat

/// A source whose blobs are files on this machine (an OCI layout): a copy to a destination that sends files
/// (``FileSendingDestination``, a registry) uploads them from where they are instead of spooling a copy first.
public protocol LocalBlobFiles: ImageSource {
    /// The regular file holding `descriptor`'s bytes as stored, or nil. Not verified here: the receiver checks the digest.
    func localFile(for descriptor: Descriptor) -> String?
}

/// A destination that can send a blob straight from a file it leaves in place, the far end checking its digest
/// (a registry verifies `?digest=` before it accepts an upload).
public protocol FileSendingDestination: ImageDestination {
    /// Stores the blob in `path`, which is read and left where it is.
    func putBlob(_ descriptor: Descriptor, sendingFile path: String) async throws
}

extension OCILayoutSource: LocalBlobFiles {
    public func localFile(for descriptor: Descriptor) -> String? {
        let path = OCILayout.blobPath(root, descriptor.digest)
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int64(info.st_size) == descriptor.size else { return nil }
        return path
    }
}
