import Foundation
import Testing
import TestSupport

@testable import Debian

@Suite("deb822 parser")
struct Deb822Tests {
    @Test("reads fields, continuation lines and keeps each paragraph's raw text")
    func paragraphs() throws {
        let text = """
            Package: libfoo1
            Version: 1.0-1
            Depends: libc6 (>= 2.34),
             libbar2 | libbaz2
            Description: a library
             Long text.
             .
             More text.

            Package: foo-bin
            Version: 2:3.4

            """
        let stanzas = try Deb822.parse(Data(text.utf8), file: "Packages")
        #expect(stanzas.count == 2)
        #expect(stanzas[0]["package"] == "libfoo1")
        #expect(stanzas[0]["Depends"] == "libc6 (>= 2.34),\nlibbar2 | libbaz2")
        #expect(stanzas[0]["Description"] == "a library\nLong text.\n\nMore text.")
        #expect(stanzas[0].text.hasPrefix("Package: libfoo1\nVersion: 1.0-1\n"))
        #expect(stanzas[0].text.hasSuffix(" More text.\n"))
        #expect(stanzas[1].fields.map(\.name) == ["Package", "Version"])
        #expect(stanzas[1].text == "Package: foo-bin\nVersion: 2:3.4\n")
    }

    @Test("a field's first line is the first non-empty line of its value, and a paragraph's text has LF line ends")
    func firstLineAndText() throws {
        var generator = SeededRandom(seed: 0xF125_7111)
        let lines = ["GPL-2+", " GPL-2+ ", " .", ".", "\t text\r", " MIT or Expat", "x"]
        let firstLines = lines + ["", " "]
        for _ in 0..<2000 {
            var text = "Files: *\r\nLicense:" + (firstLines.randomElement(using: &generator)!)
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                // Continuation lines start with a blank; a blank-only one would end the paragraph.
                text += "\n " + lines.randomElement(using: &generator)!
            }
            text += Bool.random(using: &generator) ? "\r\n" : ""
            var seen: [(first: String?, whole: String?, text: String)] = []
            try Data(text.utf8).withUnsafeBytes { buffer in
                try Deb822.scan(buffer, file: "t") { paragraph in
                    let field = paragraph.field(named: "License")
                    seen.append((field.flatMap(paragraph.firstLine(of:)), field.map(paragraph.value(of:)), paragraph.text))
                }
            }
            #expect(seen.count == 1, "\(text.debugDescription)")
            for (first, whole, paragraphText) in seen {
                #expect(whole != nil && first == whole?.split(separator: "\n").first.map(String.init), "\(text.debugDescription)")
                let lf = text.replacingOccurrences(of: "\r\n", with: "\n")
                // Ends in a line break: LF as the last byte ("\r\r\n" leaves "\r\n", one CR kept before the LF).
                #expect(paragraphText == lf + (lf.utf8.last == 0x0A ? "" : "\n"), "\(text.debugDescription)")
            }
        }
    }

    @Test("tolerates CRLF, comment lines, blank-with-spaces separators and a missing final newline")
    func tolerant() throws {
        let text = "# a comment\r\nSource: foo\r\nSection: libs\r\n  \t\r\n\r\n\r\nPackage: foo\r\n# another\r\nArchitecture: any\r\nDepends: a,\r\n b"
        let stanzas = try Deb822.parse(Data(text.utf8), file: "debian/control")
        #expect(stanzas.count == 2)
        #expect(stanzas[0]["Section"] == "libs")
        #expect(stanzas[1]["Architecture"] == "any")
        #expect(stanzas[1]["Depends"] == "a,\nb")
        #expect(!stanzas[1].text.contains("\r"))
    }

    @Test("names the file and line of a malformed line")
    func malformed() {
        let text = "Package: a\nVersion: 1\nthis is not a field\n"
        #expect {
            try Deb822.parse(Data(text.utf8), file: "Packages.xz")
        } throws: { error in
            guard let error = error as? DebianError, case .malformedControl(let file, let line, _) = error else { return false }
            return file == "Packages.xz" && line == 3 && error.description.contains("Packages.xz:3")
        }
        #expect(throws: DebianError.self) { try Deb822.parse(Data(" leading continuation\n".utf8), file: "x") }
    }

    @Test("parses the full bookworm amd64 Packages.xz of the frozen mirror")
    func fullIndex() throws {
        let path = SharedTestData.debianMirror.appendingPathComponent("dists/bookworm/main/binary-amd64/Packages.xz").path
        let records = try PackagesFile.load(path: path, name: "bookworm/main/binary-amd64/Packages.xz", suite: "bookworm")
        #expect(records.count > 60_000)
        let libc = try #require(records.first { $0.name == "libc6" })
        #expect(libc.version.string == "2.36-9+deb12u14")
        #expect(libc.architecture == "amd64")
        #expect(libc.multiArch == .same)
        #expect(libc.sourceName == "glibc")
        #expect(libc.filename == "pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb")
        #expect(libc.sha256.count == 64)
        #expect(libc.indexText.hasPrefix("Package: libc6\n"))
        #expect(libc.indexText.contains("\nSHA256: \(libc.sha256)\n"))
        let python = try #require(records.first { $0.name == "python3.11" })
        #expect(python.sourceName == "python3.11")
        // Streamed chunk by chunk, the result is the same as parsing the whole decompressed file at once.
        let whole = try PackagesFile.parse(SharedBytes(PackagesFile.decompress(path: path, name: "x")), file: "x", suite: "bookworm")
        #expect(whole.count == records.count)
        #expect(zip(whole, records).allSatisfy { $0.name == $1.name && $0.sha256 == $1.sha256 && $0.indexText == $1.indexText })
        let binNMU = try #require(records.first { $0.name == "libbz2-1.0" })
        #expect(binNMU.sourceName == "bzip2" && binNMU.sourceVersion == "1.0.8-5" && binNMU.version.string == "1.0.8-5+b1")
    }

    @Test("Packages records name the index and line when a required field is missing")
    func missingField() {
        let text = "Package: a\nVersion: 1\nArchitecture: amd64\n\nPackage: b\nVersion: 1\nArchitecture: amd64\nFilename: pool/b.deb\nSize: 1\n"
        #expect {
            try PackagesFile.parse(SharedBytes(Array(text.utf8)), file: "Packages", suite: "s")
        } throws: { error in
            (error as? DebianError)?.description.contains("Packages:1") == true
        }
    }
}

@Suite("relation fields")
struct RelationTests {
    @Test("parses alternatives, version relations, qualifiers, restrictions and profiles")
    func dependencies() throws {
        let deps = try RelationParser.dependencies(
            "libc6 (>= 2.34), media-types | mime-support,python3:any (<< 3.12~) [amd64 arm64], perl:native <!nocheck>, foo (=1.0),bar(>>2)",
            package: "p", field: "Depends")
        #expect(deps.count == 6)
        #expect(deps[0].alternatives[0] == PackageRelation(name: "libc6", constraint: VersionConstraint(.greaterOrEqual, try DebianVersion("2.34"))))
        #expect(deps[1].alternatives.map(\.name) == ["media-types", "mime-support"])
        #expect(deps[2].alternatives[0].architectureQualifier == "any")
        #expect(deps[2].alternatives[0].constraint?.relation == .lessThan)
        #expect(deps[2].alternatives[0].architectures == ["amd64", "arm64"])
        #expect(deps[2].alternatives[0].applies(to: "amd64") && !deps[2].alternatives[0].applies(to: "i386"))
        #expect(deps[3].alternatives[0].architectureQualifier == "native")
        #expect(deps[4].alternatives[0].constraint?.relation == .equal)
        #expect(deps[5].alternatives[0].constraint?.relation == .greaterThan)
        #expect(deps[2].description == "python3:any (<< 3.12~) [amd64 arm64]")
    }

    @Test("negated architecture restrictions and obsolete operators")
    func restrictionsAndObsoleteOperators() throws {
        let deps = try RelationParser.dependencies("a [!i386 !armel], b (< 2), c (> 1)", package: "p", field: "Depends")
        #expect(deps[0].alternatives[0].applies(to: "amd64"))
        #expect(!deps[0].alternatives[0].applies(to: "i386"))
        #expect(deps[1].alternatives[0].constraint?.relation == .lessOrEqual)
        #expect(deps[2].alternatives[0].constraint?.relation == .greaterOrEqual)
    }

    @Test("versioned Provides, and Provides refuses alternatives and other operators")
    func provides() throws {
        let provides = try RelationParser.provides("libgcc1 (= 1:12.2.0-14), python3-profiler", package: "libgcc-s1")
        #expect(provides.map(\.name) == ["libgcc1", "python3-profiler"])
        #expect(provides[0].constraint?.version.epoch == 1)
        #expect(throws: DebianError.self) { try RelationParser.provides("a | b", package: "x") }
        #expect(throws: DebianError.self) { try RelationParser.provides("a (>= 1)", package: "x") }
    }

    @Test(
        "refuses malformed relations, naming package and field",
        arguments: ["a (>= 1", "a (~ 1)", "a b", "| a", "a |", "a | , b", "a [amd64", "a (>= )"])
    func malformed(text: String) {
        #expect {
            try RelationParser.dependencies(text, package: "pkg", field: "Depends")
        } throws: { error in
            guard let error = error as? DebianError, case .malformedRelation(let package, let field, _, _) = error else { return false }
            return package == "pkg" && field == "Depends"
        }
    }

    @Test("operators accept the right comparisons")
    func operators() throws {
        let v = try DebianVersion("2.0")
        for (op, lower, equal, higher) in [
            (RelationOperator.lessThan, true, false, false), (.lessOrEqual, true, true, false), (.equal, false, true, false),
            (.greaterOrEqual, false, true, true), (.greaterThan, false, false, true),
        ] {
            let c = VersionConstraint(op, v)
            #expect(c.isSatisfied(by: try DebianVersion("1.9")) == lower)
            #expect(c.isSatisfied(by: try DebianVersion("2.0-0")) == equal)
            #expect(c.isSatisfied(by: try DebianVersion("2.0.1")) == higher)
        }
    }
}

@Suite("Packages index streaming")
struct PackagesStreamingTests {
    @Test("paragraph boundaries for chunked parsing")
    func boundaries() {
        #expect(PackagesFile.lastParagraphEnd(Array("A: 1\n\nB: 2\n".utf8)) == 6)
        #expect(PackagesFile.lastParagraphEnd(Array("A: 1\r\n\r\nB: 2".utf8)) == 8)
        #expect(PackagesFile.lastParagraphEnd(Array("A: 1\nB: 2\n".utf8)) == nil)
    }

    @Test("a malformed line deep in a multi-chunk index is reported at its true line")
    func lineNumbers() throws {
        let paragraph = "Package: p\nVersion: 1\nArchitecture: all\nFilename: pool/p.deb\nSize: 1\nSHA256: \(String(repeating: "b", count: 64))\n\n"
        var text = String(repeating: paragraph, count: 40_000)  // 7 lines each, about 5.6 MB: two chunks
        text += "Package: broken\nno colon here\n"
        let directory = try TemporaryDirectory("packages")
        let plain = directory.path("Packages")
        try Data(text.utf8).write(to: plain)
        #expect {
            try PackagesFile.load(path: plain.path, name: "Packages", suite: "s")
        } throws: { error in
            guard let error = error as? DebianError, case .malformedControl(let file, let line, _) = error else { return false }
            return file == "Packages" && line == 40_000 * 7 + 2
        }
        try Data(String(repeating: paragraph, count: 40_000).utf8).write(to: plain)
        #expect(try PackagesFile.load(path: plain.path, name: "Packages", suite: "s").count == 40_000)
    }
}

@Suite("Packages index compression")
struct PackagesCompressionTests {
    @Test("plain, gzip and xz indexes load the same records", arguments: ["plain", "gz", "xz"])
    func formats(format: String) throws {
        let text = "Package: a\nVersion: 1\nArchitecture: all\nFilename: pool/a.deb\nSize: 3\nSHA256: \(String(repeating: "a", count: 64))\n"
        let directory = try TemporaryDirectory("packages")
        let plain = directory.path("Packages")
        try Data(text.utf8).write(to: plain)
        var path = plain.path
        if format != "plain" {
            let tool = Process()
            tool.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tool.arguments = [format == "gz" ? "gzip" : "xz", "-k", plain.path]
            try tool.run()
            tool.waitUntilExit()
            path += format == "gz" ? ".gz" : ".xz"
        }
        let records = try PackagesFile.load(path: path, name: "Packages", suite: "s")
        #expect(records.map(\.name) == ["a"])
        #expect(records[0].size == 3)
    }

    @Test("a corrupt compressed index is a clear error naming it")
    func corrupt() throws {
        let directory = try TemporaryDirectory("packages")
        let path = directory.path("Packages.xz")
        try Data([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1, 2, 3, 4, 5]).write(to: path)
        #expect {
            try PackagesFile.load(path: path.path, name: "http://m/dists/x/main/binary-amd64/Packages.xz", suite: "x")
        } throws: { error in
            (error as? DebianError)?.description.contains("http://m/dists/x/main/binary-amd64/Packages.xz") == true
        }
    }
}
