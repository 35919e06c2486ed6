/// The image's /etc/passwd and /etc/group, used to turn `User: nonroot` into numeric ids.
public struct UserDatabase: Sendable {
    /// One /etc/passwd line.
    public struct Account: Hashable, Sendable {
        public var name: String
        public var uid: UInt32
        public var gid: UInt32
        public var home: String
    }

    /// One /etc/group line.
    public struct Group: Hashable, Sendable {
        public var name: String
        public var gid: UInt32
        public var members: [String]
    }

    public var accounts: [Account]
    public var groups: [Group]
    /// Whether the image has /etc/passwd at all (names cannot be resolved without it).
    public var hasPasswd: Bool
    /// Whether the image has /etc/group at all.
    public var hasGroup: Bool

    /// Parses passwd and group text; malformed lines are skipped as libc does.
    public init(passwd: String?, group: String?) {
        hasPasswd = passwd != nil
        hasGroup = group != nil
        accounts = (passwd ?? "").split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4, let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) else { return nil }
            return Account(name: fields[0], uid: uid, gid: gid, home: fields.count > 5 ? fields[5] : "/")
        }
        groups = (group ?? "").split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, let gid = UInt32(fields[2]) else { return nil }
            let members = fields.count > 3 ? fields[3].split(separator: ",").map(String.init) : []
            return Group(name: fields[0], gid: gid, members: members)
        }
    }

    /// Reads /etc/passwd and /etc/group from inside `rootfs` (symlinks resolved inside it).
    public init(rootfs: RootFilesystem) {
        func text(_ path: String) -> String? {
            guard let data = try? rootfs.contents(of: path) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        self.init(passwd: text("/etc/passwd"), group: text("/etc/group"))
    }

    /// The identity a process gets for an image/`--user` value, with Docker's (libcontainer's) rules:
    /// empty means root; `NAME` and `UID` take the primary group from passwd (0 when an unknown UID);
    /// `USER:GROUP` sets the group explicitly; supplementary groups come from /etc/group membership
    /// only when no group was given.
    public func resolve(_ spec: String?) throws -> ResolvedUser {
        let spec = spec ?? ""
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userPart = parts.first ?? ""
        let groupPart = parts.count > 1 ? parts[1] : nil
        if groupPart == "" || (userPart.isEmpty && groupPart != nil) { throw RuntimeError.invalidUser(spec) }

        var uid: UInt32 = 0
        var gid: UInt32 = 0
        var home = "/"
        var name: String?
        if userPart.isEmpty {
            if let root = accounts.first(where: { $0.uid == 0 }) {
                gid = root.gid
                home = root.home
                name = root.name
            }
        } else if let number = UInt32(userPart) {
            uid = number
            if let account = accounts.first(where: { $0.uid == number }) {
                gid = account.gid
                home = account.home
                name = account.name
            }
        } else {
            guard let account = accounts.first(where: { $0.name == userPart }) else {
                throw RuntimeError.unknownUser(userPart, file: "/etc/passwd")
            }
            uid = account.uid
            gid = account.gid
            home = account.home
            name = account.name
        }

        var additional: [UInt32] = []
        if let groupPart {
            if let number = UInt32(groupPart) {
                gid = number
            } else {
                guard let group = groups.first(where: { $0.name == groupPart }) else {
                    throw RuntimeError.unknownUser(groupPart, file: "/etc/group")
                }
                gid = group.gid
            }
        } else if let name {
            for group in groups where group.members.contains(name) && group.gid != gid && !additional.contains(group.gid) {
                additional.append(group.gid)
            }
        }
        return ResolvedUser(uid: uid, gid: gid, additionalGids: additional, home: home, name: name)
    }
}

/// A numeric process identity, plus the home directory for `HOME`.
public struct ResolvedUser: Hashable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var additionalGids: [UInt32]
    public var home: String
    public var name: String?

    public init(uid: UInt32, gid: UInt32, additionalGids: [UInt32] = [], home: String = "/", name: String? = nil) {
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
        self.home = home
        self.name = name
    }
}
