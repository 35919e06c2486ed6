/// The user an image runs as, parsed once from the build file's `user:` (a preset account, an account under
/// `accounts.users`, or numeric `uid[:gid]`).
struct ImageUser: Equatable, Sendable {
    /// What the image config says: numeric `uid` or `uid:gid`.
    var value: String
    var uid: Int64
    /// The group app files get: the given gid, else the account's, else the uid (as `chown uid` leaves it for a new user).
    var gid: Int64
    var isRoot: Bool { uid == 0 }

    /// `text` resolved against `accounts`; nil if it names no account and is not numeric `uid[:gid]`.
    init?(_ text: String, accounts: Accounts) {
        switch text {
        case "nonroot": self.init(value: String(Preset.nonrootUID), uid: Preset.nonrootUID, gid: Preset.nonrootUID)
        case "root", "0", "0:0": self.init(value: "0", uid: 0, gid: 0)
        case "nobody": self.init(value: "65534", uid: 65534, gid: 65534)
        default:
            if let user = accounts.users.first(where: { $0.name == text }) {
                self.init(value: "\(user.uid):\(user.gid)", uid: Int64(user.uid), gid: Int64(user.gid))
                return
            }
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let uid = Int64(parts[0]), uid >= 0 else { return nil }
            var gid = uid
            if parts.count == 2 {
                guard let group = Int64(parts[1]), group >= 0 else { return nil }
                gid = group
            }
            self.init(value: text, uid: uid, gid: gid)
        }
    }

    private init(value: String, uid: Int64, gid: Int64) {
        self.value = value
        self.uid = uid
        self.gid = gid
    }
}
