import Foundation

/// License names as packages record them, and their SPDX license-list identifiers where one is certain.
public enum LicenseNames {
    /// Splits a license field (`GPL-2+ or Artistic`, `MIT and BSD-3-clause`) into its license names,
    /// dropping `with … exception` qualifiers.
    public static func terms(of field: String) -> [String] {
        // Bytes and scalars rather than Foundation's string search, which goes through NSString on Linux: every
        // Debian package's copyright file comes through here.
        var text = Array(trimmed(Substring(field), where: isWhitespaceOrNewline).utf8)
        if text.isEmpty { return [] }
        // One pass per separator, in this order, as a chain of replacements would go.
        for separator in [" or ", " and ", " OR ", " AND ", ",", " | ", "/"] {
            text = replacing(Array(separator.utf8), with: 0x1F, in: text)
        }
        return text.split(separator: 0x1F).compactMap { part in
            var term = trimmed(Substring(decoding: part, as: UTF8.self), where: { " ()\t".unicodeScalars.contains($0) })
            if let with = rangeOfWith(in: term) { term = term[..<with] }
            term = trimmed(term, where: isHorizontalWhitespace)
            return term.isEmpty || term.count > 64 ? nil : String(term)
        }
    }

    /// `text` with every non-overlapping occurrence of `separator`, left to right, replaced by `byte`.
    private static func replacing(_ separator: [UInt8], with byte: UInt8, in text: [UInt8]) -> [UInt8] {
        guard text.count >= separator.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if i + separator.count <= text.count && text[i..<(i + separator.count)].elementsEqual(separator) {
                out.append(byte)
                i += separator.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    /// Where " with " starts, in any ASCII case.
    private static func rangeOfWith(in term: Substring) -> Substring.Index? {
        let pattern = Array(" with ".utf8)
        let bytes = Array(term.utf8)
        guard bytes.count >= pattern.count else { return nil }
        // The letters match in either case; the spaces only as spaces.
        func matches(_ byte: UInt8, _ expected: UInt8) -> Bool { expected == 0x20 ? byte == 0x20 : byte | 0x20 == expected }
        for start in 0...(bytes.count - pattern.count) where (0..<pattern.count).allSatisfy({ matches(bytes[start + $0], pattern[$0]) }) {
            return term.utf8.index(term.startIndex, offsetBy: start)
        }
        return nil
    }

    /// `text` without the leading and trailing scalars that `drop` holds.
    private static func trimmed(_ text: Substring, where drop: (Unicode.Scalar) -> Bool) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else {
            return text[text.endIndex...]
        }
        return Substring(scalars[first...last])
    }

    /// Foundation's `.whitespacesAndNewlines`: the Unicode White_Space property.
    private static func isWhitespaceOrNewline(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

    /// Foundation's `.whitespaces`: space separators (Zs) and the tab.
    private static func isHorizontalWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }

    /// The SPDX identifier `name` certainly means, or nil (then documents name it as a `LicenseRef-`).
    public static func spdxID(_ name: String) -> String? {
        let key = name.lowercased().trimmingCharacters(in: .whitespaces)
        if let id = known[key] { return id }
        return canonical[key]
    }

    /// A `LicenseRef-` identifier for a name that has no SPDX identifier.
    public static func reference(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        return "LicenseRef-" + String(name.map { allowed.contains($0) ? $0 : "-" })
    }

    /// Debian's short names (copyright-format 1.0) and common spellings from Python metadata; names that leave
    /// the version open (a bare "BSD License" or "Apache Software License" classifier) are not guessed.
    private static let known: [String: String] = [
        "gpl-1": "GPL-1.0-only", "gpl-1+": "GPL-1.0-or-later", "gpl-2": "GPL-2.0-only", "gpl-2+": "GPL-2.0-or-later",
        "gpl-2.0": "GPL-2.0-only", "gpl-2.0+": "GPL-2.0-or-later", "gpl-3": "GPL-3.0-only", "gpl-3+": "GPL-3.0-or-later",
        "gpl-3.0": "GPL-3.0-only", "gpl-3.0+": "GPL-3.0-or-later",
        "lgpl-2": "LGPL-2.0-only", "lgpl-2+": "LGPL-2.0-or-later", "lgpl-2.1": "LGPL-2.1-only", "lgpl-2.1+": "LGPL-2.1-or-later",
        "lgpl-3": "LGPL-3.0-only", "lgpl-3+": "LGPL-3.0-or-later", "agpl-3": "AGPL-3.0-only", "agpl-3+": "AGPL-3.0-or-later",
        "gfdl-1.2": "GFDL-1.2-only", "gfdl-1.2+": "GFDL-1.2-or-later", "gfdl-1.3": "GFDL-1.3-only", "gfdl-1.3+": "GFDL-1.3-or-later",
        "apache-2": "Apache-2.0", "apache 2.0": "Apache-2.0", "apache license 2.0": "Apache-2.0",
        "apache license, version 2.0": "Apache-2.0", "expat": "MIT", "mit license": "MIT", "new bsd license": "BSD-3-Clause",
        "psf": "PSF-2.0", "psf-2": "PSF-2.0", "python software foundation license": "PSF-2.0",
        "artistic": "Artistic-1.0", "cc0": "CC0-1.0", "boost-1.0": "BSL-1.0",
        "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0", "isc license": "ISC", "isc license (iscl)": "ISC",
    ]

    /// SPDX identifiers accepted as written (any case).
    private static let canonical: [String: String] = {
        let ids = [
            "0BSD", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0", "Artistic-1.0", "Artistic-1.0-Perl",
            "Artistic-2.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause", "BSL-1.0", "bzip2-1.0.6",
            "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC0-1.0", "curl", "EPL-1.0", "EPL-2.0", "FTL",
            "GFDL-1.2-only", "GFDL-1.2-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later", "GPL-1.0-only", "GPL-1.0-or-later",
            "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "HPND", "ISC", "LGPL-2.0-only",
            "LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "Libpng",
            "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "OFL-1.1", "OpenSSL", "PSF-2.0", "Python-2.0", "Unicode-DFS-2016",
            "Unlicense", "WTFPL", "X11", "Zlib", "ZPL-2.1",
        ]
        return Dictionary(uniqueKeysWithValues: ids.map { ($0.lowercased(), $0) })
    }()
}
