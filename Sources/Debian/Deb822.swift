import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where one field of a deb822 paragraph lies in its buffer (byte offsets).
public struct Deb822Field: Sendable, Equatable {
    /// The field name, without the colon.
    public var name: Range<Int>
    /// From the first non-blank byte after the colon to the end of the last continuation line.
    public var value: Range<Int>
    /// True when the value has continuation lines.
    public var isMultiline: Bool
}

/// A paragraph of a deb822 document as seen by ``Deb822/scan(_:file:_:)``: offsets into the scanned buffer.
///
/// Valid only inside the scan callback; copy what you need out of it.
public struct Deb822Paragraph {
    /// The bytes being scanned.
    public let buffer: UnsafeRawBufferPointer
    /// The paragraph's raw text, from its first field to the end of its last line (line break included).
    public let range: Range<Int>
    /// Its fields in document order.
    public let fields: [Deb822Field]
    /// The 1-based line of its first field.
    public let line: Int

    /// True if `field`'s name is `name`, ignoring ASCII case as deb822 does.
    @inline(__always)
    public func field(_ field: Deb822Field, isNamed name: StaticString) -> Bool {
        guard field.name.count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        var i = 0
        for offset in field.name {
            if buffer[offset] | 0x20 != expected[i] | 0x20 { return false }
            i += 1
        }
        return true
    }

    /// The name of `field`.
    public func name(of field: Deb822Field) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: buffer[field.name]), as: UTF8.self)
    }

    /// The value of `field`; continuation lines are joined with "\n" and their leading blanks removed.
    public func value(of field: Deb822Field) -> String {
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[field.value])
        if !field.isMultiline { return String(decoding: bytes, as: UTF8.self) }
        // Split on bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        return bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: Self.content(ofValueLine: $0), as: UTF8.self) }
            .joined(separator: "\n")
    }

    /// The first non-empty line of `field`'s value as ``value(of:)`` gives it, without building the rest (a
    /// copyright file's License field can hold the whole license text).
    public func firstLine(of field: Deb822Field) -> String? {
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[field.value])
        if !field.isMultiline { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
        for line in bytes.split(separator: 0x0A) {
            let content = Self.content(ofValueLine: line)
            if !content.isEmpty { return String(decoding: content, as: UTF8.self) }
        }
        return nil
    }

    /// One line of a multi-line value as the value holds it: without its leading blanks and trailing blanks or CR,
    /// and empty for the lone "." that stands for an empty line.
    private static func content(ofValueLine line: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        var start = line.startIndex
        var end = line.endIndex
        while start < end && (line[start] == 0x20 || line[start] == 0x09) { start += 1 }
        while end > start && (line[end - 1] == 0x0D || line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
        if end == start + 1 && line[start] == UInt8(ascii: ".") { return line[start..<start] }
        return line[start..<end]
    }

    /// The first field called `name`, if any.
    public func field(named name: StaticString) -> Deb822Field? {
        fields.first { field($0, isNamed: name) }
    }

    /// The value of the first field called `name`, if any.
    public func value(named name: StaticString) -> String? {
        field(named: name).map(value(of:))
    }

    /// The paragraph's raw text with CRLF turned into LF, ending in one line break.
    public var text: String {
        // On bytes: Foundation's String search on Linux goes through NSString, a cost on every control file.
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[range])
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count + 1)
        for (i, byte) in bytes.enumerated() where !(byte == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) {
            text.append(byte)
        }
        if text.last != 0x0A { text.append(0x0A) }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The deb822 format of Debian control files, Packages indexes and Release files.
///
/// Works on bytes: a full Packages index (50 MB, ~63,000 paragraphs) is scanned without building
/// per-line strings. Continuation lines, `#` comment lines (control files), CRLF line ends and
/// whitespace-only separator lines are accepted.
public enum Deb822 {
    /// Calls `body` for each paragraph of `buffer`; `file` is used in errors, whose line numbers start at `firstLine`.
    ///
    /// Returns the number of lines scanned, so a caller scanning a stream piece by piece can keep counting.
    @discardableResult
    public static func scan(
        _ buffer: UnsafeRawBufferPointer, file: String, firstLine: Int = 1, _ body: (Deb822Paragraph) throws(DebianError) -> Void
    ) throws(DebianError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let count = buffer.count
        var fields: [Deb822Field] = []
        fields.reserveCapacity(32)
        var paragraphStart = -1
        var paragraphLine = 0
        var line = firstLine - 1
        var i = 0

        while i < count {
            line += 1
            let lineEnd: Int
            if let nl = memchr(base + i, 0x0A, count - i) {
                lineEnd = base.distance(to: UnsafeRawPointer(nl))
            } else {
                lineEnd = count
            }
            var contentEnd = lineEnd
            if contentEnd > i && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let next = min(lineEnd + 1, count)
            let first = buffer[i]

            if first == 0x20 || first == 0x09 {
                if isBlank(buffer, i, contentEnd) {
                    // A whitespace-only line ends a paragraph like an empty one.
                    if paragraphStart >= 0 {
                        try body(Deb822Paragraph(buffer: buffer, range: paragraphStart..<i, fields: fields, line: paragraphLine))
                        fields.removeAll(keepingCapacity: true)
                        paragraphStart = -1
                    }
                } else {
                    guard !fields.isEmpty else {
                        throw .malformedControl(file: file, line: line, reason: "continuation line before any field")
                    }
                    let end = trimTrailingBlanks(buffer, fields[fields.count - 1].value.lowerBound, contentEnd)
                    fields[fields.count - 1].value = fields[fields.count - 1].value.lowerBound..<end
                    fields[fields.count - 1].isMultiline = true
                }
            } else if contentEnd == i {
                if paragraphStart >= 0 {
                    try body(Deb822Paragraph(buffer: buffer, range: paragraphStart..<i, fields: fields, line: paragraphLine))
                    fields.removeAll(keepingCapacity: true)
                    paragraphStart = -1
                }
            } else if first == 0x23 {
                // '#' comment line (control files); not part of any field.
            } else {
                guard let colonPointer = memchr(base + i, 0x3A, contentEnd - i) else {
                    throw .malformedControl(
                        file: file, line: line, reason: "'\(lineText(buffer, i, contentEnd))' is neither 'Field: value' nor a continuation line")
                }
                let colon = base.distance(to: UnsafeRawPointer(colonPointer))
                let nameEnd = trimTrailingBlanks(buffer, i, colon)
                guard nameEnd > i else {
                    throw .malformedControl(file: file, line: line, reason: "field with an empty name")
                }
                var valueStart = colon + 1
                while valueStart < contentEnd && (buffer[valueStart] == 0x20 || buffer[valueStart] == 0x09) { valueStart += 1 }
                let valueEnd = trimTrailingBlanks(buffer, valueStart, contentEnd)
                if paragraphStart < 0 {
                    paragraphStart = i
                    paragraphLine = line
                }
                fields.append(Deb822Field(name: i..<nameEnd, value: valueStart..<valueEnd, isMultiline: false))
            }
            i = next
        }
        if paragraphStart >= 0 {
            try body(Deb822Paragraph(buffer: buffer, range: paragraphStart..<count, fields: fields, line: paragraphLine))
        }
        return line - (firstLine - 1)
    }

    /// Parses every paragraph of `data` into ``ControlStanza`` values (for control and Release files).
    public static func parse(_ data: Data, file: String) throws(DebianError) -> [ControlStanza] {
        var stanzas: [ControlStanza] = []
        let result: Result<Void, DebianError> = data.withUnsafeBytes { buffer in
            do throws(DebianError) {
                try scan(buffer, file: file) { paragraph throws(DebianError) in
                    stanzas.append(ControlStanza(paragraph))
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        return stanzas
    }

    /// Parses text holding one paragraph (a .deb's control file); throws unless there is exactly one.
    public static func parseSingle(_ data: Data, file: String) throws(DebianError) -> ControlStanza {
        let stanzas = try parse(data, file: file)
        guard stanzas.count == 1 else {
            throw .malformedControl(file: file, line: 1, reason: "expected one paragraph, found \(stanzas.count)")
        }
        return stanzas[0]
    }

    @inline(__always)
    private static func isBlank(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            if buffer[i] != 0x20 && buffer[i] != 0x09 { return false }
            i += 1
        }
        return true
    }

    @inline(__always)
    private static func trimTrailingBlanks(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var e = end
        while e > start && (buffer[e - 1] == 0x20 || buffer[e - 1] == 0x09) { e -= 1 }
        return e
    }

    private static func lineText(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start..<min(end, start + 80)]), as: UTF8.self)
    }
}
