/// One challenge of a `WWW-Authenticate` field (RFC 9110 §11.6.1): a scheme and its parameters.
///
/// A registry sends `Bearer realm="https://auth.example/token",service="registry.example",scope="repository:app:pull"`
/// or `Basic realm="Registry Realm"`; one field may hold several challenges separated by commas.
public struct AuthChallenge: Sendable, Equatable {
    /// The scheme, lowercased (`bearer`, `basic`).
    public var scheme: String
    /// The parameters, names lowercased, values unquoted.
    public var parameters: [String: String]

    /// A challenge with `scheme` (lowercased) and `parameters`.
    public init(scheme: String, parameters: [String: String] = [:]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    /// `realm`, where a Bearer token is asked for.
    public var realm: String? { parameters["realm"] }

    /// Every challenge in the `WWW-Authenticate` values `fields`, in order; malformed parts are skipped.
    public static func parse(_ fields: [String]) -> [AuthChallenge] {
        fields.flatMap { parse($0) }
    }

    /// Every challenge in one `WWW-Authenticate` value.
    public static func parse(_ field: String) -> [AuthChallenge] {
        var scanner = Scanner(Array(field.utf8))
        var challenges: [AuthChallenge] = []
        while true {
            scanner.skip { $0 == 0x20 || $0 == 0x09 || $0 == 0x2C }
            guard let scheme = scanner.token() else { break }
            var challenge = AuthChallenge(scheme: scheme)
            // Parameters until one that is not `name=value`: that name starts the next challenge.
            while true {
                scanner.skip { $0 == 0x20 || $0 == 0x09 || $0 == 0x2C }
                let mark = scanner.position
                guard let name = scanner.token() else { break }
                scanner.skip { $0 == 0x20 || $0 == 0x09 }
                guard scanner.take(0x3D) else {
                    scanner.position = mark
                    break
                }
                scanner.skip { $0 == 0x20 || $0 == 0x09 }
                guard let value = scanner.quoted() ?? scanner.token() else { break }
                challenge.parameters[name.lowercased()] = value
            }
            challenges.append(challenge)
            if scanner.atEnd { break }
            // A byte that is neither a separator nor a token would loop forever: skip it.
            if let byte = scanner.peek, !Scanner.isTokenByte(byte), byte != 0x20, byte != 0x09, byte != 0x2C { scanner.position += 1 }
        }
        return challenges
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[position] }

        mutating func skip(_ predicate: (UInt8) -> Bool) {
            while let byte = peek, predicate(byte) { position += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            position += 1
            return true
        }

        /// RFC 9110 tchar: letters, digits and ``!#$%&'*+-.^_`|~``; also `/` so an unquoted URL-ish value survives.
        static func isTokenByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || [0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E, 0x2F, 0x3A].contains(b)
        }

        mutating func token() -> String? {
            let start = position
            // A scheme or name never contains ':' or '/'; those are allowed only inside an unquoted value.
            while let byte = peek, Self.isTokenByte(byte) { position += 1 }
            return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
        }

        mutating func quoted() -> String? {
            guard take(0x22) else { return nil }
            var value: [UInt8] = []
            while let byte = peek {
                position += 1
                if byte == 0x22 { return String(decoding: value, as: UTF8.self) }
                if byte == 0x5C, let next = peek {
                    position += 1
                    value.append(next)
                } else {
                    value.append(byte)
                }
            }
            return String(decoding: value, as: UTF8.self)
        }
    }
}
