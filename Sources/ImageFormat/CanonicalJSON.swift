import Foundation

/// Encodes and decodes image-format JSON deterministically (sorted keys, unescaped slashes).
public enum CanonicalJSON {
    /// Encodes `value` with sorted keys so equal values give equal bytes and digests.
    public static func encode<T: Encodable>(_ value: T) throws(ImageFormatError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw .malformedJSON(what: String(describing: T.self), reason: "\(error)")
        }
    }

    /// Decodes `data` as `T`, naming `what` in the error.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws(ImageFormatError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw .malformedJSON(what: what, reason: describe(error))
        } catch {
            throw .malformedJSON(what: what, reason: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "top level" : p
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "missing value at \(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
