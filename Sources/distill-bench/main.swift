import Foundation

/// One line of the benchmark table: what was measured, distill's number, the peer's, and the goal.
struct BenchmarkRow {
    var name: String
    var distill: String
    var peer: String
    var ratio: String
    var goal: String
    var met: Bool?
}

/// A group of measurements; each domain contributes one in its own file.
protocol BenchmarkSuite {
    static var name: String { get }
    static func run(workDirectory: URL) async throws -> [BenchmarkRow]
}

let suites: [any BenchmarkSuite.Type] = [
    LayerBenchmarks.self, DebianBenchmarks.self, BuildBenchmarks.self, PythonBenchmarks.self,
    VulnerabilityBenchmarks.self, AuditBenchmarks.self, RegistryBenchmarks.self, VariantBenchmarks.self,
]

let selected = Set(CommandLine.arguments.dropFirst())
let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("distill-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }

var rows: [BenchmarkRow] = []
for suite in suites where selected.isEmpty || selected.contains(suite.name) {
    FileHandle.standardError.write("running \(suite.name)…\n".data(using: .utf8)!)
    let dir = work.appendingPathComponent(suite.name)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    rows += try await suite.run(workDirectory: dir)
}

print("| benchmark | distill | peer | distill/peer | goal | met |")
print("|---|---|---|---|---|---|")
for row in rows {
    let met = row.met.map { $0 ? "yes" : "NO" } ?? "–"
    print("| \(row.name) | \(row.distill) | \(row.peer) | \(row.ratio) | \(row.goal) | \(met) |")
}
