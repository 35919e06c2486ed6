import Foundation
import ImageFormat

/// What `distill inspect` reports: the configuration in brief, the layers, the largest files and efficiency.
public struct Inspection: Codable, Hashable, Sendable {
    /// The runtime configuration, in brief.
    public struct Configuration: Codable, Hashable, Sendable {
        public var architecture: String
        public var os: String
        public var created: String?
        public var user: String?
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var workingDir: String?
        public var env: [String]?
        public var exposedPorts: [String]?
        public var healthcheck: [String]?
        public var labels: [String: String]?
    }

    /// One layer: its blob, its sizes and what made it.
    public struct Layer: Codable, Hashable, Sendable {
        /// From 1, bottom to top.
        public var number: Int
        public var digest: Digest
        public var diffID: Digest
        public var mediaType: String
        public var compressedSize: Int64
        /// Bytes of the layer's tar.
        public var uncompressedSize: Int64
        /// Bytes of regular-file content in the layer.
        public var contentSize: Int64
        public var entries: Int
        /// The history entry's `created_by` (or its comment), if the image records one.
        public var createdBy: String?
    }

    /// A file of the final tree.
    public struct File: Codable, Hashable, Sendable {
        public var path: String
        public var size: Int64
        /// From 1: the layer that last wrote it.
        public var layer: Int
    }

    /// Efficiency the way dive computes it.
    public struct Efficiency: Codable, Hashable, Sendable {
        /// From 0 to 1; 1 means no byte is shipped twice.
        public var score: Double
        public var wastedBytes: Int64
        /// Wasted bytes as a share of what layers above the first add.
        public var userWastedRatio: Double
        /// The costliest paths seen in more than one layer.
        public var inefficiencies: [DiveEfficiency.Inefficiency]
    }

    public var reference: String
    /// The single-platform manifest's digest.
    public var digest: Digest
    public var configuration: Configuration
    public var layers: [Layer]
    public var compressedSize: Int64
    /// Bytes of regular files in the final tree.
    public var fileSystemSize: Int64
    public var fileCount: Int
    public var largestFiles: [File]
    public var efficiency: Efficiency
}

extension Inspection {
    /// The inspection as pretty, key-sorted JSON.
    public func json() throws -> Data { try CheckReportFormat.json(self) }
}
