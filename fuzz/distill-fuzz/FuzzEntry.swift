import Foundation
import FuzzTargets

// libFuzzer's driver calls these two; `make fuzz` (scripts/fuzz.sh) picks the target with DISTILL_FUZZ_TARGET.
// DISTILL_FUZZ_TARGET=list prints the names; DISTILL_FUZZ_WRITE_SEEDS=DIR writes the target's seed corpus
// (from DISTILL_SHARED_TESTDATA, default ../shared/testdata) into DIR and exits.

/// The target of this process, chosen once in LLVMFuzzerInitialize before any input runs.
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    let name = environment["DISTILL_FUZZ_TARGET"] ?? ""
    if name == "list" {
        for target in FuzzTargets.all { print("\(target.name)\t\(target.summary)") }
        exit(0)
    }
    guard let target = FuzzTargets.named(name) else {
        FileHandle.standardError.write(Data("error: set DISTILL_FUZZ_TARGET to one of: \(FuzzTargets.all.map(\.name).joined(separator: " "))\n".utf8))
        exit(2)
    }
    if let directory = environment["DISTILL_FUZZ_WRITE_SEEDS"] {
        let testData = URL(fileURLWithPath: environment["DISTILL_SHARED_TESTDATA"] ?? "../shared/testdata")
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let seeds = target.seeds(testData)
        for (number, seed) in seeds.enumerated() {
            try? seed.data.write(to: URL(fileURLWithPath: directory + "/seed-\(number)"))
        }
        print("\(target.name): \(seeds.count) seeds")
        exit(0)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let target = selected else { return 0 }
    let input = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    // A broken property is a finding like a crash: abort so libFuzzer saves the input.
    if case .violated(let message) = target.run(input) { fatalError("\(target.name): \(message)") }
    return 0
}
