import Foundation
import SBOM
import Testing
import TestSupport

@Suite("LicenseNames")
struct LicenseNameTests {
    /// The rule as first written with Foundation's string search: the byte-level version must agree with it.
    static func reference(_ field: String) -> [String] {
        var text = field.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return [] }
        for separator in [" or ", " and ", " OR ", " AND ", ",", " | ", "/"] {
            text = text.replacingOccurrences(of: separator, with: "\u{1F}")
        }
        return text.split(separator: "\u{1F}").compactMap { part in
            var term = part.trimmingCharacters(in: CharacterSet(charactersIn: " ()\t"))
            if let with = term.range(of: " with ", options: .caseInsensitive) { term = String(term[..<with.lowerBound]) }
            term = term.trimmingCharacters(in: .whitespaces)
            return term.isEmpty || term.count > 64 ? nil : term
        }
    }

    @Test(
        "license fields split into names as Foundation's search did",
        arguments: [
            "GPL-2+ or Artistic", "MIT and BSD-3-clause", "GPL-2+ with OpenSSL exception", "(MIT OR Apache-2.0)", "LGPL-2.1+ | GPL-2+",
            "BSD-3-clause/Expat", "  \n Zlib \t", "", " ", "Apache-2.0 WITH LLVM-exception", "a, b,, c", "x and or y", " or ", "and",
            "GPL-2\u{00A0}", "\u{3000}MIT\u{2028}", "Public Domain", String(repeating: "x", count: 70) + " or MIT", "a orb", "é or ü",
        ])
    func fixed(field: String) {
        #expect(LicenseNames.terms(of: field) == Self.reference(field))
    }

    @Test("random license fields split as Foundation's search did")
    func random() {
        var generator = SeededRandom(seed: 0x11CE_45E5)
        let pieces = [" or ", " and ", " OR ", " AND ", ",", " | ", "/", " with ", " WITH ", "(", ")", " ", "\t", "\n", "MIT", "GPL-2+", "é", "\u{00A0}", "x"]
        for _ in 0..<3000 {
            let field = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(LicenseNames.terms(of: field) == Self.reference(field), "\(field.debugDescription)")
        }
    }
}
