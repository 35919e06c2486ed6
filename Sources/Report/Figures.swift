import Foundation

/// How every renderer words a figure, so the table, markdown and HTML say the same thing.
public enum Figures {
    /// `812.4 KiB`, `48.1 MiB`, `1.20 GiB`.
    public static func bytes(_ count: Int64) -> String {
        let value = Double(count)
        if count < 1 << 20 { return String(format: "%.1f KiB", value / 1024) }
        if count < 1 << 30 { return String(format: "%.1f MiB", value / 1_048_576) }
        return String(format: "%.2f GiB", value / 1_073_741_824)
    }

    /// `67 % smaller`, `12 % larger`, `same size`; nil when there is nothing to compare with.
    public static func sizeChange(_ percent: Double?) -> String? {
        guard let percent else { return nil }
        let rounded = percent.rounded()
        if rounded == 0 { return "same size" }
        return String(format: "%.0f %% ", abs(rounded)) + (rounded < 0 ? "smaller" : "larger")
    }

    /// `+2 HIGH`, `-1 HIGH`, `±0 HIGH`.
    public static func difference(_ delta: Int, _ unit: String) -> String {
        (delta > 0 ? "+\(delta)" : delta < 0 ? "-\(-delta)" : "±0") + (unit.isEmpty ? "" : " \(unit)")
    }

    /// `0.84 s`, `12.3 s`, `2 min 05 s`.
    public static func seconds(_ value: Double) -> String {
        if value < 10 { return String(format: "%.2f s", value) }
        if value < 60 { return String(format: "%.1f s", value) }
        let whole = Int(value.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    /// `Distroless (debian 12)`, `Debian GNU/Linux 12 (bookworm)`, `alpine 3.20.1`.
    public static func operatingSystem(_ os: ImageComparison.OperatingSystem?) -> String {
        guard let os else { return "unknown" }
        let release = [os.id, os.versionID].compactMap { $0 }.joined(separator: " ")
        guard let pretty = os.prettyName, !pretty.isEmpty else { return release }
        if let version = os.versionID, pretty.contains(version) { return pretty }
        return "\(pretty) (\(release))"
    }

    /// `Python 3.11.2`, `Go 1.22.5, Python 3.12`; `-` when none was found.
    public static func runtimes(_ runtimes: [ImageComparison.Runtime]) -> String {
        runtimes.isEmpty ? "-" : runtimes.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
    }

    /// `pass 15/15`, `fail 13/15 (DI001, DI002)`, and `DEBUG, not for production` first for a debug image.
    public static func hardening(_ check: ImageComparison.Hardening) -> String {
        let rules = check.rulesPassed + check.rulesFailed
        var text = check.passed ? "pass \(check.rulesPassed)/\(rules)" : "fail \(check.rulesPassed)/\(rules) (\(check.failedRules.joined(separator: ", ")))"
        if check.notForProduction { text = "DEBUG, not for production; " + text }
        return text
    }

    /// The OS and language package counts: `97 + 5`.
    public static func packages(_ image: ImageComparison) -> String { "\(image.osPackages) + \(image.languagePackages)" }

    /// The build time, or `-` when distill did not build it (or left no record).
    public static func build(_ image: ImageComparison) -> String { image.build.map { seconds($0.seconds) } ?? "-" }

    /// What changed against the first image, in words: `67 % smaller, +2 HIGH, +3 packages`; nil for the first image.
    public static func relative(_ image: ImageComparison) -> String? {
        guard let relative = image.relativeToFirst else { return nil }
        var parts: [String] = []
        if let size = sizeChange(relative.unpackedSizePercent) { parts.append(size + " unpacked") }
        if let size = sizeChange(relative.compressedSizePercent) { parts.append(size + " compressed") }
        if let v = relative.vulnerabilities {
            parts += [difference(v.critical, "CRITICAL"), difference(v.high, "HIGH"), difference(v.total, "in total")]
        }
        let packages = relative.osPackages + relative.languagePackages
        parts.append(difference(packages, abs(packages) == 1 ? "package" : "packages"))
        if relative.layers != 0 { parts.append(difference(relative.layers, abs(relative.layers) == 1 ? "layer" : "layers")) }
        if let seconds = relative.buildSeconds {
            parts.append((seconds >= 0 ? "+" : "-") + self.seconds(abs(seconds)) + " build")
        }
        return parts.joined(separator: ", ")
    }
}
