import Foundation
import SystemSupport

/// Writes a report under a temporary name beside its destination and renames it, so it appears whole or not at all.
public enum ReportFile {
    public static func write(_ text: String, to path: String) throws(VulnerabilityError) {
        do {
            try AtomicWrite.write(Data(text.utf8), to: path)
        } catch {
            throw .io(path: path, reason: error.description)
        }
    }
}
