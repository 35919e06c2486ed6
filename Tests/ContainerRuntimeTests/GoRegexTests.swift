import ContainerRuntime
import StructureTest
import Testing

@Suite("Go regexp semantics on NSRegularExpression")
struct GoRegexTests {
    @Test("matches anywhere, like Go's MatchString", arguments: [
        ("Hello", "say Hello World", true),
        (#"^root:x:0:0:root:/root:/sbin/nologin\nnobody"#, "root:x:0:0:root:/root:/sbin/nologin\nnobody:x", true),
        // Go's `$` (no m flag) is the very end of the text, not "before a final newline".
        ("foo$", "foo\n", false),
        ("foo\\n$", "foo\n", true),
        ("foo$", "foo", true),
        ("(?m)^b$", "a\nb\nc", true),
        ("[$]", "cost $5", true),
        (#"\$5"#, "cost $5", true),
        // `.` stops only at \n, as in Go (ICU would also stop at \r).
        ("a.b", "a\rb", true),
        ("a.b", "a\nb", false),
        (#"(?P<word>w\w+)"#, "hello world", true),
        (#"h\xe9llo"#, "h\u{e9}llo.txt", true),
        (#"Hello from distroless C\+\+!"#, "Hello from distroless C++!", true),
        ("[[:digit:]]+", "abc123", true),
        (#"[]a]"#, "]", true),
    ])
    func semantics(pattern: String, text: String, matches: Bool) throws {
        #expect(try GoRegex(pattern).matches(text) == matches)
    }

    @Test("an invalid pattern is an error naming it")
    func invalid() {
        #expect {
            try GoRegex("a(b")
        } throws: { error in
            "\(error)".hasPrefix("'a(b' is not a valid regular expression")
        }
    }
}
