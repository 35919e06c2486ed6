import Foundation

/// What `distill compare` reports: every image's figures, each against the first, and which one to ship.
public struct ComparisonReport: Codable, Hashable, Sendable {
    /// The vulnerability database the counts come from.
    public struct Database: Codable, Hashable, Sendable {
        public var path: String
        /// False when there is none: the images then have no vulnerability counts.
        public var present: Bool

        public init(path: String, present: Bool) {
            self.path = path
            self.present = present
        }

        /// What every output says when there is no database.
        public static let missingNote = "no database: run distill db update"
    }

    public var images: [ImageComparison]
    public var verdict: Verdict?
    public var database: Database
    /// `distill 0.1.0`.
    public var tool: String

    /// The report for `images` (in the order given): relative figures against the first, and the verdict.
    public init(images: [ImageComparison], database: Database, tool: String) {
        var images = images
        if let first = images.first {
            for index in images.indices.dropFirst() { images[index].relativeToFirst = RelativeFigures(images[index], against: first) }
        }
        self.images = images
        self.database = database
        self.tool = tool
        verdict = Verdict.choose(images)
    }
}

/// The image to ship, and why: fewest CRITICAL, then fewest HIGH, then the smaller (unpacked, then compressed);
/// debug images are never chosen while another one is there.
public struct Verdict: Codable, Hashable, Sendable {
    /// Index of the chosen image in the report.
    public var image: Int
    public var name: String
    public var reason: String
    /// Names of the images left out as not for production.
    public var notForProduction: [String]

    public init(image: Int, name: String, reason: String, notForProduction: [String]) {
        self.image = image
        self.name = name
        self.reason = reason
        self.notForProduction = notForProduction
    }

    /// The choice among `images`; nil when there is none.
    public static func choose(_ images: [ImageComparison]) -> Verdict? {
        guard !images.isEmpty else { return nil }
        let debug = images.indices.filter { images[$0].hardening.notForProduction }
        var candidates = images.indices.filter { !debug.contains($0) }
        let allDebug = candidates.isEmpty
        if allDebug { candidates = Array(images.indices) }
        func key(_ index: Int) -> [Int64] {
            let image = images[index]
            return [Int64(image.vulnerabilities?.critical ?? 0), Int64(image.vulnerabilities?.high ?? 0), image.unpackedSize,
                    image.compressedSize, Int64(index)]
        }
        let ranked = candidates.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        let winner = images[ranked[0]]
        var reason: String
        if ranked.count == 1 {
            reason = images.count == 1 ? "the only image" : "the only image fit for production"
        } else {
            reason = Self.why(winner, over: images[ranked[1]])
        }
        let excluded = debug.map { images[$0].name }
        if allDebug {
            reason += "; every image is a debug image (not for production)"
        } else if !excluded.isEmpty {
            reason += "; left out as not for production: " + excluded.joined(separator: ", ")
        }
        return Verdict(image: ranked[0], name: winner.name, reason: reason, notForProduction: excluded)
    }

    /// What decided between the winner and the runner-up.
    private static func why(_ winner: ImageComparison, over next: ImageComparison) -> String {
        let size = "\(Figures.bytes(winner.unpackedSize)) vs \(Figures.bytes(next.unpackedSize)) for \(next.name)"
        guard let w = winner.vulnerabilities, let n = next.vulnerabilities else {
            return "the smallest unpacked (\(size)); vulnerabilities not weighed, as there is no database"
        }
        if w.critical < n.critical { return "fewest CRITICAL (\(w.critical) vs \(n.critical) for \(next.name))" }
        if w.high < n.high {
            return "fewest CRITICAL (\(w.critical), as \(next.name)) and fewest HIGH (\(w.high) vs \(n.high) for \(next.name))"
        }
        let counts = "\(w.critical) CRITICAL and \(w.high) HIGH, as \(next.name)"
        if winner.unpackedSize < next.unpackedSize { return "\(counts), and the smallest unpacked (\(size))" }
        if winner.compressedSize < next.compressedSize {
            return "\(counts), the same unpacked size, and the smallest compressed "
                + "(\(Figures.bytes(winner.compressedSize)) vs \(Figures.bytes(next.compressedSize)))"
        }
        return "\(counts), and the same size; listed first"
    }
}
