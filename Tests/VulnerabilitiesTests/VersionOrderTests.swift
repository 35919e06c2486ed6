import Debian
import Testing
import TestSupport
import Vulnerabilities

@Suite struct VersionOrderTests {
    static let debian = VersionTableLine.load("debian-versions.txt")
    static let semver = VersionTableLine.load("semver-versions.txt")

    @Test func theTablesAreThere() {
        #expect(Self.debian.count == 30)
        #expect(Self.semver.count == 86)
    }

    @Test(arguments: debian)
    func debianOrderAgreesWithTheTable(_ line: VersionTableLine) throws {
        let a = try DebianVersion(line.left)
        let b = try DebianVersion(line.right)
        #expect(VersionTableLine.relation(DebianVersion.compare(a, b)) == line.relation)
        #expect(VersionScheme.dpkg.compare(line.left, line.right).map(VersionTableLine.relation) == line.relation)
    }

    @Test(arguments: semver)
    func semverOrderAgreesWithTheTable(_ line: VersionTableLine) throws {
        let a = try #require(SemanticVersion(line.left))
        let b = try #require(SemanticVersion(line.right))
        #expect(VersionTableLine.relation(SemanticVersion.compare(a, b)) == line.relation)
        #expect(VersionTableLine.relation(SemanticVersion.compare(b, a)) == (line.relation == "<" ? ">" : line.relation == ">" ? "<" : "="))
    }

    @Test(arguments: ["", "v", "abc", "-1.0"])
    func semverRefusesNonVersions(_ text: String) {
        #expect(SemanticVersion(text) == nil)
    }
}
