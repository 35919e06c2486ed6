import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What happens to one file while the repository gets it.
public enum DownloadEvent: Sendable, Equatable {
    /// A transfer began; `expectedBytes` when the index says how big it is.
    case started(name: String, expectedBytes: Int64?)
    /// More bytes arrived (total so far).
    case progressed(name: String, bytes: Int64, expectedBytes: Int64?)
    /// The file is verified and in the cache; `cached` when no transfer was needed.
    case finished(name: String, bytes: Int64, cached: Bool)
    /// The transfer or its verification failed.
    case failed(name: String, error: DebianError)
}

/// Receives ``DownloadEvent``s; called from several tasks at once.
public typealias DownloadProgressHandler = @Sendable (DownloadEvent) -> Void
