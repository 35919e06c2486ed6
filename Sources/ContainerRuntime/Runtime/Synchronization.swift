import Foundation
import Synchronization

/// A value produced once by a thread and awaited by any number of tasks.
final class AsyncValue<Value: Sendable>: Sendable {
    private struct State {
        var stored: Value?
        var waiters: [CheckedContinuation<Value, Never>] = []
    }
    private let state = Mutex(State())

    func resolve(_ value: Value) {
        let pending = state.withLock { state in
            state.stored = value
            defer { state.waiters = [] }
            return state.waiters
        }
        pending.forEach { $0.resume(returning: value) }
    }

    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready: Value? = state.withLock { state in
                if let stored = state.stored { return stored }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// A thread-safe one-way boolean.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() {
        value.store(true, ordering: .releasing)
    }

    /// Sets the flag; true only for the caller that set it first.
    func setIfUnset() -> Bool {
        value.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
