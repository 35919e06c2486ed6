import Archive
import Testing
import TestSupport

@Suite("ArchivePath")
struct ArchivePathTests {
    /// The rule written the plain way (split on "/", drop "" and ".", refuse ".." and NUL): the fast path must agree.
    static func reference(_ raw: String, allowAbsolute: Bool) -> Result<String?, ArchiveError> {
        if raw.utf8.contains(0) || (!allowAbsolute && raw.hasPrefix("/")) { return .failure(.unsafePath(archive: "t", entry: raw)) }
        var parts: [Substring] = []
        for component in raw.split(separator: "/") where component != "." {
            if component == ".." { return .failure(.unsafePath(archive: "t", entry: raw)) }
            parts.append(component)
        }
        return .success(parts.isEmpty ? nil : parts.joined(separator: "/"))
    }

    static func normalized(_ raw: String, allowAbsolute: Bool) -> Result<String?, ArchiveError> {
        Result { () throws(ArchiveError) in try ArchivePath.normalize(raw, archive: "t", allowAbsolute: allowAbsolute) }
    }

    @Test(
        "paths normalize as split-and-join would have them",
        arguments: [
            "usr/lib/x", "usr/lib/x/", "./usr/lib", "usr//lib", "/etc/passwd", "", ".", "./", "/", "a/./b", "a/../b", "..", "a/..",
            "a/..b", "..a/b", "a/b..", ".a/b.", "a\u{0}b", "\u{0}", "/\u{0}", "usr/lib/python3.11/site-packages/é/ü.py", "a/.../b",
        ])
    func fixed(raw: String) {
        for allowAbsolute in [true, false] {
            #expect(Self.normalized(raw, allowAbsolute: allowAbsolute) == Self.reference(raw, allowAbsolute: allowAbsolute))
        }
    }

    @Test("random paths over / . a é NUL normalize as split-and-join would have them")
    func random() {
        var generator = SeededRandom(seed: 0x5EED_A11C)
        let alphabet = ["/", "/", ".", ".", "a", "b", "é", "\u{0}"]
        for _ in 0..<5000 {
            let raw = (0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            let allowAbsolute = Bool.random(using: &generator)
            #expect(Self.normalized(raw, allowAbsolute: allowAbsolute) == Self.reference(raw, allowAbsolute: allowAbsolute), "\(raw.debugDescription)")
        }
    }
}
