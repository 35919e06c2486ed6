import Foundation

/// Writes a report under a temporary name beside its destination and renames it, so it appears whole or not at all.
public enum ReportFile {
    public static func write(_ text: String, to path: String) throws(VulnerabilityError) {
        let temporary = path + ".tmp-\(getpid())"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 { throw VulnerabilityError.io(path: path, reason: String(cString: strerror(errno))) }
        } catch let error as VulnerabilityError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(path: path, reason: error.localizedDescription)
        }
    }
}
