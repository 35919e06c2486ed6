import Foundation

/// A value produced once by a thread and awaited by any number of tasks.
final class AsyncValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    private var waiters: [CheckedContinuation<Value, Never>] = []

    func resolve(_ value: Value) {
        let pending = lock.withLock { () -> [CheckedContinuation<Value, Never>] in
            stored = value
            defer { waiters = [] }
            return waiters
        }
        pending.forEach { $0.resume(returning: value) }
    }

    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready: Value? = lock.withLock {
                if let stored { return stored }
                waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// A thread-safe one-way boolean.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() {
        lock.withLock { value = true }
    }

    /// Sets the flag; true only for the caller that set it first.
    func setIfUnset() -> Bool {
        lock.withLock {
            if value { return false }
            value = true
            return true
        }
    }
}
