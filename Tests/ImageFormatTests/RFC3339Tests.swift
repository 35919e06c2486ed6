import Foundation
import ImageFormat
import Testing

@Suite struct RFC3339Tests {
    /// What Foundation's ISO 8601 formatter (internet date-time, with and without fractions) reads from `text`.
    static func foundation(_ text: String) -> Int64? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (plain.date(from: text) ?? fractional.date(from: text)).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }

    @Test(arguments: [
        "2023-11-14T22:13:20Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2024-05-01T12:00:00+02:00",
        "2024-05-01T12:00:00-05:30", "2024-05-01T12:00:00.123Z", "1999-12-31T23:59:59.5+01:00", "2038-01-19T03:14:08Z",
        "2100-03-01T00:00:00Z", "1969-12-31T23:59:59Z", "1900-01-01T00:00:00Z",
    ])
    func readsWhatFoundationReads(_ text: String) throws {
        let expected = try #require(Self.foundation(text))
        #expect(RFC3339.seconds(text) == expected)
    }

    @Test func readsFractionsFoundationCannot() {
        // Go writes nine fractional digits; the value is the same second.
        #expect(RFC3339.seconds("2024-05-01T12:00:00.123456789Z") == RFC3339.seconds("2024-05-01T12:00:00Z"))
        #expect(RFC3339.normalized("2024-05-01T12:00:00.123456789+02:00") == "2024-05-01T10:00:00Z")
    }

    @Test(arguments: [
        "", "2024-05-01", "2024-05-01T12:00:00", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T12:00:00+2:00", "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00Zjunk", "２０２４-05-01T12:00:00Z", "2024-05-01 12:00:00Z",
    ])
    func refusesWhatIsNotADateTime(_ text: String) {
        #expect(RFC3339.seconds(text) == nil)
    }

    @Test func writesWhatFoundationWrites() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for seconds in [0, 951_868_799, 1_700_000_000, 4_102_444_800, -1, -2_208_988_800] + (0..<200).map({ _ in Int64.random(in: -2_000_000_000...6_000_000_000, using: &generator) }) {
            let written = RFC3339.string(seconds)
            #expect(written == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))), "\(seconds)")
            #expect(RFC3339.seconds(written) == seconds)
        }
    }
}
