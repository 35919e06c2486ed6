import Foundation

extension Inspection {
    /// The report for a terminal: configuration, a layer table, the largest files and efficiency.
    public var text: String {
        var lines = ["image    \(reference)", "digest   \(digest)"]
        let c = configuration
        lines.append("platform \(c.os)/\(c.architecture)" + (c.created.map { ", created \($0)" } ?? ""))
        lines.append("user     \(c.user?.isEmpty == false ? c.user! : "(root: not set)")")
        if let entrypoint = c.entrypoint { lines.append("entrypoint \(entrypoint)") }
        if let cmd = c.cmd { lines.append("cmd      \(cmd)") }
        if let dir = c.workingDir { lines.append("workdir  \(dir)") }
        if let ports = c.exposedPorts, !ports.isEmpty { lines.append("expose   \(ports.joined(separator: ", "))") }
        lines.append("health   \(c.healthcheck.map { $0.joined(separator: " ") } ?? "(none)")")
        for env in c.env ?? [] { lines.append("env      \(env)") }
        lines.append("")
        lines.append(Self.row(["#", "compressed", "uncompressed", "files", "created by"]))
        for layer in layers {
            lines.append(
                Self.row([
                    "\(layer.number)", Self.size(layer.compressedSize), Self.size(layer.uncompressedSize), "\(layer.entries)",
                    String((layer.createdBy ?? "").prefix(70)),
                ]))
        }
        lines.append(Self.row(["", Self.size(compressedSize), Self.size(fileSystemSize), "\(fileCount)", "total (file system after whiteouts)"]))
        lines.append("")
        lines.append("largest files")
        for file in largestFiles { lines.append("  \(Self.size(file.size).padding(toLength: 11, withPad: " ", startingAt: 0)) layer \(file.layer)  \(file.path)") }
        lines.append("")
        lines.append(
            String(format: "efficiency %.4f   wasted ", efficiency.score) + Self.size(efficiency.wastedBytes)
                + String(format: " (%.1f%% of the upper layers)", efficiency.userWastedRatio * 100))
        for item in efficiency.inefficiencies {
            lines.append("  \(Self.size(item.cumulativeSize).padding(toLength: 11, withPad: " ", startingAt: 0)) \(item.count)×  \(item.path)")
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [3, 12, 13, 7]
        var text = ""
        for (index, cell) in cells.enumerated() {
            text += index < widths.count ? cell.padding(toLength: max(widths[index], cell.count + 1), withPad: " ", startingAt: 0) : cell
        }
        return text
    }

    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
