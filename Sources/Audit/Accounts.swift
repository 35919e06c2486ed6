import Foundation

/// Users and groups from `/etc/passwd`, `/etc/group` and `/etc/shadow`.
struct Accounts {
    struct User {
        var name: String
        var password: String
        var uid: Int64?
    }

    struct Group {
        var name: String
        var gid: Int64?
    }

    var users: [User] = []
    var groups: [Group] = []
    /// Name and password field of each shadow entry.
    var shadow: [(name: String, password: String)] = []

    init(passwd: Data?, group: Data?, shadow: Data?) {
        users = Self.lines(passwd).compactMap { fields in
            guard fields.count >= 3 else { return nil }
            return User(name: fields[0], password: fields[1], uid: Int64(fields[2]))
        }
        groups = Self.lines(group).compactMap { fields in
            guard fields.count >= 3 else { return nil }
            return Group(name: fields[0], gid: Int64(fields[2]))
        }
        self.shadow = Self.lines(shadow).compactMap { fields in fields.count >= 2 ? (fields[0], fields[1]) : nil }
    }

    private static func lines(_ data: Data?) -> [[String]] {
        guard let data else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { return nil }
            return text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
