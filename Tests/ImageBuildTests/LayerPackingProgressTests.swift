import Archive
import Synchronization
import Testing

@testable import ImageBuild

/// The packing progress line: nothing in a layer's first second, then at most one line a second.
@Test func aLayerPackingForMoreThanASecondReportsOnceASecond() {
    let lines = Mutex<[String]>([])
    let progress = LayerPackingProgress(label: "amd64: OS layer") { line in lines.withLock { $0.append(line) } }
    let halfway = LayerProgress(entries: 10, entryCount: 20, bytes: 50 << 20, byteCount: 100 << 20)
    progress.report(halfway)
    #expect(lines.withLock { $0 }.isEmpty, "a layer that has packed for less than a second says nothing")

    let slow = LayerPackingProgress(label: "amd64: OS layer", started: .now - .seconds(5)) { line in lines.withLock { $0.append(line) } }
    slow.report(halfway)
    slow.report(halfway)
    let said = lines.withLock { $0 }
    #expect(said.count == 1, "the second report in the same second is dropped: \(said)")
    #expect(said.first?.hasPrefix("amd64: OS layer: packing, 50 %") == true, "\(said)")
    #expect(said.first?.contains("10 of 20 files") == true, "\(said)")
}
