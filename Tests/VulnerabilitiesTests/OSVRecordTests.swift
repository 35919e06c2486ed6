import Foundation
import Testing
import TestSupport
import Vulnerabilities

@Suite struct OSVRecordTests {
    /// Every real record decodes, and encoding it again gives the same JSON value (no field lost or invented).
    @Test func everyRealRecordRoundTrips() throws {
        var checked = 0
        for ecosystem in ["Debian", "PyPI"] {
            let folder = VulnFixtures.osvFolder + "/" + ecosystem
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".json") {
                let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
                let record = try JSONDecoder().decode(OSVRecord.self, from: data)
                let again = try JSONEncoder().encode(record)
                let original = try JSONSerialization.jsonObject(with: data) as? NSDictionary
                let reencoded = try JSONSerialization.jsonObject(with: again) as? NSDictionary
                #expect(original != nil && original == reencoded, "\(name)")
                checked += 1
            }
        }
        #expect(checked == 2136)
    }

    @Test func jsonValueRoundTrips() throws {
        let value = JSONValue.object(["a": .array([.number(1), .number(2.5), .bool(true), .null, .string("x")]), "b": .object([:])])
        #expect(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value)) == value)
    }

    @Test func metadataRoundTrips() throws {
        let metadata = DatabaseMetadata(
            schemaVersion: 1,
            sources: [SourceInfo(key: "https://x/PyPI/all.zip", sha256: "ab", etag: "\"e\"", lastModified: "Mon, 01 Jan 2024 00:00:00 GMT", records: 3, importedAt: "2024-01-01T00:00:00Z")],
            counts: ["PyPI": 3], records: 3, newestModified: "2024-01-01T00:00:00Z", updatedAt: "2024-01-02T00:00:00Z")
        #expect(try JSONDecoder().decode(DatabaseMetadata.self, from: JSONEncoder().encode(metadata)) == metadata)
    }

    @Test func refusesARecordWithoutAnID() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OSVRecord.self, from: Data(#"{"modified":"x"}"#.utf8)) }
    }
}
