import Foundation
import FuzzTargets

// libFuzzer's driver calls the two LLVMFuzzer functions; `make fuzz` (scripts/fuzz.sh) picks the target with DISTILL_FUZZ_TARGET.
// DISTILL_FUZZ_TARGET=list prints the names; DISTILL_FUZZ_WRITE_SEEDS=DIR writes the target's seed corpus
// (from DISTILL_SHARED_TESTDATA, default ../shared/testdata) into DIR and exits.

/// The target of this process, chosen once in LLVMFuzzerInitialize before any input runs.
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    let name = environment["DISTILL_FUZZ_TARGET"] ?? ""
    if name == "list" {
        for target in FuzzTargets.all { FileHandle.standardOutput.write(Data("\(target.name)\t\(target.summary)\n".utf8)) }
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
        FileHandle.standardOutput.write(Data("\(target.name): \(seeds.count) seeds\n".utf8))
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

/// libFuzzer's documented entry for programs that own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable target with `main` aliased to `<module>_main` (so tests can link it), which
/// keeps libFuzzer's own `main` out; this is that function, and it hands over to libFuzzer's driver.
@_cdecl("distill_fuzz_main")
public func distillFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { bytes, size in fuzzerTestOneInput(bytes, size) }
}
