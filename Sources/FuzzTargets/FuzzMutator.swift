import Foundation

/// A small deterministic byte mutator, for replaying targets without a sanitizer build (`make test`):
/// the same seed gives the same inputs on every machine, so a failure can be reproduced.
public struct FuzzMutator {
    private var state: UInt64

    /// Starts the generator at `seed`.
    public init(seed: UInt64) { state = seed }

    /// Tokens that often decide a parser's path: separators, quotes, numbers at the edges of their types.
    static let tokens: [[UInt8]] = [
        "\n", "\r\n", ":", " ", "-", "~", "+", ".", "/", "..", "\"", "{", "}", "[", "]", ",", "!", "#", "|", "(", ")", "<<", ">=",
        "0", "9223372036854775808", "-1", "4294967296", "\u{0}", "*", "&a", "- ", "? ", "sha256:", "\\u0000", "1e999",
    ].map { Array($0.utf8) }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

    /// One to four random edits of `input`; `corpus` supplies splices.
    public mutating func mutate(_ input: Data, corpus: [Data]) -> Data {
        var bytes = [UInt8](input)
        for _ in 0...below(4) {
            switch below(8) {
            case 0 where !bytes.isEmpty:
                bytes[below(bytes.count)] ^= UInt8(1 << below(8))
            case 1 where !bytes.isEmpty:
                bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: next())
            case 2:
                let token = Self.tokens[below(Self.tokens.count)]
                bytes.insert(contentsOf: token, at: below(bytes.count + 1))
            case 3 where !bytes.isEmpty:
                let start = below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(16)))
            case 4 where !bytes.isEmpty:
                let start = below(bytes.count)
                let chunk = bytes[start..<min(bytes.count, start + 1 + below(64))]
                bytes.insert(contentsOf: chunk, at: below(bytes.count + 1))
            case 5 where !corpus.isEmpty:
                let other = [UInt8](corpus[below(corpus.count)])
                let cut = below(bytes.count + 1)
                let from = below(other.count + 1)
                bytes = Array(bytes[..<cut]) + other[from...]
            case 6 where !bytes.isEmpty:
                bytes.removeSubrange(below(bytes.count)...)
            default:
                bytes.insert(UInt8(truncatingIfNeeded: next()), at: below(bytes.count + 1))
            }
        }
        return Data(bytes)
    }
}
