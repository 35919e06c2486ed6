import Foundation
import Synchronization

/// What one fuzz input did to a parser.
public enum FuzzOutcome: Sendable, Equatable {
    /// Parsed without an error.
    case accepted
    /// Refused with a typed error (the expected answer to most random bytes).
    case rejected
    /// A property that must hold for every input did not (e.g. a comparison that is not antisymmetric).
    case violated(String)
}

/// One parser of untrusted bytes, fed by libFuzzer (`make fuzz`) and by the seed replay in `make test`.
public struct FuzzTarget: Sendable {
    /// The name `make fuzz` and `DISTILL_FUZZ_TARGET` use.
    public let name: String
    /// What it parses, for listings.
    public let summary: String
    /// Feeds one input; must never trap, whatever the bytes.
    public let run: @Sendable (Data) -> FuzzOutcome
    /// Seed inputs, from the shared test data folder and small hand-made samples.
    public let seeds: @Sendable (_ testData: URL) -> [FuzzSeed]

    public init(
        name: String, summary: String, seeds: @escaping @Sendable (URL) -> [FuzzSeed], run: @escaping @Sendable (Data) -> FuzzOutcome
    ) {
        self.name = name
        self.summary = summary
        self.seeds = seeds
        self.run = run
    }
}

/// One seed input: a name (for the corpus file) and its bytes; `valid` seeds must be accepted.
public struct FuzzSeed: Sendable {
    public var name: String
    public var data: Data
    /// True for real-world inputs the parser has to accept (the replay test checks it).
    public var valid: Bool

    public init(_ name: String, _ data: Data, valid: Bool = true) {
        self.name = name
        self.data = data
        self.valid = valid
    }

    public init(_ name: String, _ text: String, valid: Bool = true) {
        self.init(name, Data(text.utf8), valid: valid)
    }
}

/// Every fuzz target, by name.
public enum FuzzTargets {
    /// All targets in `make fuzz` order.
    public static let all: [FuzzTarget] =
        DebianFuzzTargets.all + PythonFuzzTargets.all + ArchiveFuzzTargets.all + YAMLFuzzTargets.all + ImageFuzzTargets.all
        + VulnerabilityFuzzTargets.all

    /// The target called `name`, if any.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Runs a parser: a typed error is a rejection, success an acceptance.
@inline(__always)
func attempt(_ body: () throws -> Void) -> FuzzOutcome {
    do {
        try body()
        return .accepted
    } catch FuzzError.propertyViolated(let message) {
        return .violated(message)
    } catch {
        return .rejected
    }
}

/// The module's error: thrown by a target's property checks, turned into ``FuzzOutcome/violated(_:)``.
enum FuzzError: Error, CustomStringConvertible {
    /// A property every input must keep did not hold; the message names the input's values.
    case propertyViolated(String)

    var description: String {
        switch self {
        case .propertyViolated(let message): return "property violated: \(message); keep the input as a regression and fix the parser"
        }
    }
}

/// Throws ``FuzzError/propertyViolated(_:)`` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw FuzzError.propertyViolated(message()) }
}

/// Seed helpers over the shared test data folder.
enum SeedFiles {
    private static let memos = Mutex<[String: [FuzzSeed]]>([:])

    /// Seeds computed once per process under `key` (several targets share the costly ones).
    static func memo(_ key: String, _ make: () -> [FuzzSeed]) -> [FuzzSeed] {
        if let known = memos.withLock({ $0[key] }) { return known }
        let made = make()
        memos.withLock { $0[key] = made }
        return made
    }

    /// Every file below `folder` (relative to `testData`) whose name passes `filter`, at most `limit`, smaller than `maxSize`.
    static func files(
        _ testData: URL, _ folder: String, limit: Int = 64, maxSize: Int = 256 << 10, where filter: (String) -> Bool = { _ in true }
    ) -> [FuzzSeed] {
        let root = testData.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var paths: [String] = []
        while let next = walker.nextObject() as? String {
            if filter(next) { paths.append(next) }
        }
        var seeds: [FuzzSeed] = []
        for path in paths.sorted() {
            let url = root.appendingPathComponent(path)
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]), values.isRegularFile == true,
                let size = values.fileSize, size <= maxSize, let data = try? Data(contentsOf: url)
            else { continue }
            seeds.append(FuzzSeed(folder + "/" + path, data))
            if seeds.count >= limit { break }
        }
        return seeds
    }

    /// One file, if present.
    static func file(_ testData: URL, _ path: String, valid: Bool = true) -> [FuzzSeed] {
        guard let data = try? Data(contentsOf: testData.appendingPathComponent(path)) else { return [] }
        return [FuzzSeed(path, data, valid: valid)]
    }

    /// Lines of a text file (e.g. version tables), each a seed.
    static func lines(_ testData: URL, _ path: String, limit: Int = 200) -> [String] {
        guard let text = try? String(contentsOf: testData.appendingPathComponent(path), encoding: .utf8) else { return [] }
        return Array(text.split(separator: "\n").map(String.init).prefix(limit))
    }
}
