import Foundation

/// One file a simple repository lists for a project (PEP 503 / PEP 691), with what the index vouches for.
public struct IndexFile: Sendable, Hashable, Codable {
    public var filename: String
    /// Absolute URL, without its `#sha256=` fragment.
    public var url: String
    /// The sha256 the index gives (lowercase hex); a file without one is never downloaded.
    public var sha256: String?
    /// `data-requires-python` / `requires-python`, as written.
    public var requiresPython: String?
    /// PEP 592: nil when not yanked, else the reason ("" when none was given).
    public var yanked: String?
    /// PEP 658/714: whether `<url>.metadata` exists, and its sha256 when the index gives one.
    public var metadata: MetadataAvailability
    /// The size in bytes, when the index says (PEP 700).
    public var size: Int64?

    public init(
        filename: String, url: String, sha256: String?, requiresPython: String? = nil, yanked: String? = nil,
        metadata: MetadataAvailability = .none, size: Int64? = nil
    ) {
        self.filename = filename
        self.url = url
        self.sha256 = sha256
        self.requiresPython = requiresPython
        self.yanked = yanked
        self.metadata = metadata
        self.size = size
    }

    public var isYanked: Bool { yanked != nil }
    public var isWheel: Bool { filename.lowercased().hasSuffix(".whl") }

    /// Where the core metadata is served (PEP 658): the file's URL with `.metadata` appended.
    public var metadataURL: String { url + ".metadata" }
}

/// Whether a file's core metadata can be fetched on its own (PEP 658), and what it hashes to.
public enum MetadataAvailability: Sendable, Hashable, Codable {
    case none
    /// Served, without a digest to check it against.
    case available
    /// Served, with its sha256.
    case sha256(String)

    public var isAvailable: Bool {
        if case .none = self { return false }
        return true
    }
}

/// Parses a project page of a simple repository: PEP 503 HTML or PEP 691 JSON.
public enum SimpleIndexPage {
    /// The JSON media type of PEP 691.
    public static let jsonType = "application/vnd.pypi.simple.v1+json"
    /// What to ask for: JSON first, then the HTML of PEP 691, then plain HTML.
    public static let acceptHeader = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"

    /// The files of a page served with `contentType` from `url` (relative links are resolved against it).
    public static func parse(_ data: Data, contentType: String?, url: String) throws(PythonError) -> [IndexFile] {
        let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if type == jsonType || type == "application/json" { return try parseJSON(data, url: url) }
        guard let text = String(data: data, encoding: .utf8) else { throw .malformedIndex(url: url, reason: "the page is not UTF-8") }
        return try parseHTML(text, url: url)
    }

    /// PEP 503 (and PEP 592, 658, 714): every `<a>` is a file; its `href` fragment holds the digest.
    public static func parseHTML(_ html: String, url pageURL: String) throws(PythonError) -> [IndexFile] {
        var base = pageURL
        var files: [IndexFile] = []
        for element in HTMLAnchorScanner(html).elements() {
            if element.name == "base", let href = element.attributes["href"] {
                base = resolve(href, against: pageURL) ?? base
                continue
            }
            guard element.name == "a", let href = element.attributes["href"] else { continue }
            guard let absolute = resolve(href, against: base) else { throw .malformedIndex(url: pageURL, reason: "the link '\(href)' is not a URL") }
            var link = absolute
            var sha256: String?
            if let hash = link.firstIndex(of: "#") {
                let fragment = link[link.index(after: hash)...]
                link = String(link[..<hash])
                if fragment.hasPrefix("sha256=") { sha256 = String(fragment.dropFirst(7)).lowercased() }
            }
            let filename = element.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                ? FilePathText.name(of: link) : element.text.trimmingCharacters(in: .whitespacesAndNewlines)
            let metadata = try metadataAttribute(element.attributes["data-core-metadata"] ?? element.attributes["data-dist-info-metadata"], url: pageURL)
            files.append(
                IndexFile(
                    filename: filename, url: link, sha256: try checked(sha256, url: pageURL),
                    requiresPython: element.attributes["data-requires-python"], yanked: element.attributes["data-yanked"],
                    metadata: metadata))
        }
        return files
    }

    /// `true` or `sha256=…` (the attribute's presence alone means available).
    private static func metadataAttribute(_ value: String?, url: String) throws(PythonError) -> MetadataAvailability {
        guard let value else { return .none }
        if value.lowercased().hasPrefix("sha256=") { return .sha256(try checked(String(value.dropFirst(7)).lowercased(), url: url) ?? "") }
        if value.lowercased() == "false" { return .none }
        return .available
    }

    /// PEP 691's JSON form.
    public static func parseJSON(_ data: Data, url pageURL: String) throws(PythonError) -> [IndexFile] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .malformedIndex(url: pageURL, reason: "not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any], let list = root["files"] as? [[String: Any]] else {
            throw .malformedIndex(url: pageURL, reason: "no \"files\" list")
        }
        var files: [IndexFile] = []
        for entry in list {
            guard let filename = entry["filename"] as? String, let href = entry["url"] as? String else {
                throw .malformedIndex(url: pageURL, reason: "a file without \"filename\" or \"url\"")
            }
            guard let absolute = resolve(href, against: pageURL) else { throw .malformedIndex(url: pageURL, reason: "the url '\(href)' is not a URL") }
            let link = absolute.split(separator: "#", maxSplits: 1).first.map(String.init) ?? absolute
            let hashes = entry["hashes"] as? [String: Any] ?? [:]
            var yanked: String?
            if let flag = entry["yanked"] as? Bool, flag { yanked = "" }
            if let reason = entry["yanked"] as? String { yanked = reason }
            var metadata = MetadataAvailability.none
            for key in ["core-metadata", "dist-info-metadata"] where !metadata.isAvailable {
                if let flag = entry[key] as? Bool, flag { metadata = .available }
                if let table = entry[key] as? [String: Any] {
                    metadata = (table["sha256"] as? String).map { .sha256($0.lowercased()) } ?? .available
                }
            }
            if case .sha256(let hex) = metadata { _ = try checked(hex, url: pageURL) }
            files.append(
                IndexFile(
                    filename: filename, url: link, sha256: try checked((hashes["sha256"] as? String)?.lowercased(), url: pageURL),
                    requiresPython: entry["requires-python"] as? String, yanked: yanked, metadata: metadata,
                    size: (entry["size"] as? NSNumber)?.int64Value))
        }
        return files
    }

    /// Refuses a digest that is not 64 lowercase hex digits before it can name anything.
    private static func checked(_ hex: String?, url: String) throws(PythonError) -> String? {
        guard let hex else { return nil }
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw .malformedIndex(url: url, reason: "'\(hex)' is not a sha256")
        }
        return hex
    }

    /// `href` made absolute against `base`; only http(s) results are kept.
    static func resolve(_ href: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let resolved = URL(string: href, relativeTo: baseURL)?.absoluteURL else { return nil }
        let text = resolved.absoluteString
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else { return nil }
        return text
    }
}
