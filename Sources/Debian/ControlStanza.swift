/// One field of a ``ControlStanza``.
public struct ControlField: Sendable, Equatable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A parsed deb822 paragraph: its fields in order and its raw text (what status.d records keep).
public struct ControlStanza: Sendable, Equatable {
    /// Fields in document order.
    public var fields: [ControlField]
    /// The paragraph exactly as written, with LF line ends and a final line break.
    public var text: String

    public init(fields: [ControlField], text: String) {
        self.fields = fields
        self.text = text
    }

    init(_ paragraph: Deb822Paragraph) {
        fields = paragraph.fields.map { ControlField(name: paragraph.name(of: $0), value: paragraph.value(of: $0)) }
        text = paragraph.text
    }

    /// The value of the first field called `name` (case-insensitive, as in deb822).
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }
}
