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

    /// The import's own parser reads every real record exactly as JSONDecoder does.
    @Test func theImportParserAgreesWithJSONDecoder() throws {
        var checked = 0
        for ecosystem in ["Debian", "PyPI"] {
            let folder = VulnFixtures.osvFolder + "/" + ecosystem
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".json") {
                let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
                #expect(try OSVRecord(parsing: data, what: name) == JSONDecoder().decode(OSVRecord.self, from: data), "\(name)")
                checked += 1
            }
        }
        #expect(checked == 2136)
        let escaped = #"{"id":"A\u00e9\ud83d\ude00\n\"\/","modified":"m","database_specific":{"n":-1.5e2,"b":true,"z":null,"l":[1,"x",{}]}}"#
        let record = try OSVRecord(parsing: Data(escaped.utf8), what: "x")
        #expect(record == (try JSONDecoder().decode(OSVRecord.self, from: Data(escaped.utf8))))
        #expect(record.id == "Aé😀\n\"/")
        // A repeated member keeps its first value, as JSONDecoder does; an infinite number is refused by both.
        let repeated = Data(#"{"id":"first","id":"last","modified":"m","database_specific":{"k":1,"k":2}}"#.utf8)
        #expect(try OSVRecord(parsing: repeated, what: "x") == JSONDecoder().decode(OSVRecord.self, from: repeated))
        #expect(try OSVRecord(parsing: repeated, what: "x").id == "first")
        #expect(throws: VulnerabilityError.self) { try OSVRecord(parsing: Data(#"{"id":"a","modified":"m","database_specific":{"k":1e400}}"#.utf8), what: "x") }
    }

    /// What JSONDecoder refuses, the import's parser refuses too, naming the document; it is stricter where
    /// JSONDecoder lets RFC 8259 slip (a trailing comma, a leading zero).
    @Test(arguments: [
        #"{"modified":"x"}"#, #"{"id":5,"modified":"x"}"#, #"{"id":"a","modified":"x","affected":{}}"#,
        #"{"id":"a","modified":"x","affected":[{"ranges":[{"type":"ECOSYSTEM"}]}]}"#, #"{"id":"a","modified":"x","aliases":[1]}"#,
        #"{"id":"a","modified":"x"} x"#, #"{"id":"a\ud800","modified":"x"}"#, #"{"id":"a\x","modified":"x"}"#,
        "{\"id\":\"a\u{1}\",\"modified\":\"x\"}", #"[1,2]"#, "", #"{"id":"a""#,
        String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000),
        #"{"id":"a","modified":"x",}"#, #"{"id":"a","modified":"x","n":01}"#,
    ])
    func theImportParserRefusesWhatJSONDecoderRefuses(_ text: String) {
        let lenient = text.hasSuffix(",}") || text.contains(":01")
        if !lenient {
            #expect(throws: (any Error).self) { try JSONDecoder().decode(OSVRecord.self, from: Data(text.utf8)) }
        }
        #expect {
            try OSVRecord(parsing: Data(text.utf8), what: "bad.json")
        } throws: { error in
            "\(error)".contains("bad.json")
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: VulnerabilityError.self) { try OSVRecord(parsing: Data([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]), what: "bad.json") }
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
