/// Findings split the way Trivy splits its results: OS packages, then each language's packages.
struct ReportGroup {
    /// `oci:build/app (debian 12.15)` or `Python`.
    var target: String
    /// `os-pkgs` or `lang-pkgs`.
    var resultClass: String
    /// Trivy's type: `debian`, `python-pkg`, `gobinary`…
    var type: String
    var findings: [Finding]
    var suppressed: [Finding]

    static func groups(_ report: ScanReport) -> [ReportGroup] {
        // Every kind of package present gets its result, found vulnerabilities or not (as Trivy does).
        let ecosystems = Set(report.subject.packages.map(\.ecosystem) + (report.findings + report.suppressed).map(\.package.ecosystem))
        var out: [ReportGroup] = []
        let order = ["Debian"] + ecosystems.filter { $0 != "Debian" }.sorted()
        for ecosystem in order where ecosystems.contains(ecosystem) {
            let findings = report.findings.filter { $0.package.ecosystem == ecosystem }
            let suppressed = report.suppressed.filter { $0.package.ecosystem == ecosystem }
            if ecosystem == "Debian" {
                let os = [report.subject.osFamily, report.subject.osVersion].compactMap { $0 }.joined(separator: " ")
                out.append(
                    ReportGroup(
                        target: os.isEmpty ? report.subject.name : "\(report.subject.name) (\(os))", resultClass: "os-pkgs",
                        type: report.subject.osFamily ?? "debian", findings: findings, suppressed: suppressed))
            } else {
                out.append(
                    ReportGroup(target: languageName(ecosystem), resultClass: "lang-pkgs", type: languageType(ecosystem), findings: findings, suppressed: suppressed))
            }
        }
        return out
    }

    static func languageName(_ ecosystem: String) -> String {
        switch ecosystem {
        case "PyPI": return "Python"
        case "Go": return "Go"
        case "npm": return "Node.js"
        case "crates.io": return "Rust"
        default: return ecosystem
        }
    }

    static func languageType(_ ecosystem: String) -> String {
        switch ecosystem {
        case "PyPI": return "python-pkg"
        case "Go": return "gobinary"
        case "npm": return "node-pkg"
        case "crates.io": return "rustbinary"
        default: return ecosystem.lowercased()
        }
    }
}
