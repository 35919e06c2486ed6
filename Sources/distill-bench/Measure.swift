import Foundation
import TestSupport

/// What every suite times the same way: a command's wall time, the median of a few, the `distill` under test.
enum Measure {
    /// The release `distill` beside this benchmark binary, as a user runs it.
    static var distill: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("distill").path
    }

    /// Seconds `arguments` took to run to a zero exit (start-up included); `environment` is added to this process's.
    static func command(_ arguments: [String], environment: [String: String]? = nil, cwd: String? = nil) throws -> Double {
        let start = Date()
        try Tool.check(arguments, environment: environment, cwd: cwd)
        return Date().timeIntervalSince(start)
    }

    /// The middle value (the upper one of an even count).
    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
