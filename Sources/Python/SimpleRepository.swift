import Archive
import Foundation
import HTTP
import ImageFormat

/// A simple repository (PyPI or a mirror) read through the injected HTTP client: project pages (JSON when the
/// server offers it, else HTML) and PEP 658 metadata files, each fetched once and shared by every architecture.
public actor SimpleRepository: PackageFinder {
    /// The index root, ending in `/` (`https://pypi.org/simple/`).
    public nonisolated let indexURL: String
    let http: any HTTPClient
    /// Reads the metadata of a wheel whose index serves no metadata file: downloads it (verified) and returns its path.
    let fetchWheel: (@Sendable (IndexFile) async throws(PythonError) -> String)?
    private var pages: [ProjectName: Task<Result<[IndexFile], PythonError>, Never>] = [:]
    private var metadataCache: [String: CoreMetadata] = [:]
    /// Requests sent, for the build's summary.
    public private(set) var requestCount = 0

    /// `indexURL` gets a trailing `/` if it lacks one.
    public init(indexURL: String, http: any HTTPClient, fetchWheel: (@Sendable (IndexFile) async throws(PythonError) -> String)? = nil) {
        self.indexURL = indexURL.hasSuffix("/") ? indexURL : indexURL + "/"
        self.http = http
        self.fetchWheel = fetchWheel
    }

    public func files(of project: ProjectName, requiredBy: String) async throws(PythonError) -> [IndexFile] {
        do {
            return try await pageTask(project).value.get()
        } catch {
            // A prefetch does not know who asked; the caller does.
            if case .noSuchProject(let name, let index, _) = error { throw .noSuchProject(name: name, index: index, requiredBy: requiredBy) }
            throw error
        }
    }

    public func prefetch(_ projects: [ProjectName]) async {
        for project in projects { _ = pageTask(project) }
    }

    private func pageTask(_ project: ProjectName) -> Task<Result<[IndexFile], PythonError>, Never> {
        if let task = pages[project] { return task }
        requestCount += 1
        let url = indexURL + project.normalized + "/"
        let http = self.http
        let index = indexURL
        let task = Task<Result<[IndexFile], PythonError>, Never> {
            do throws(PythonError) {
                return .success(try await Self.fetchPage(url, project: project, index: index, http: http))
            } catch {
                return .failure(error)
            }
        }
        pages[project] = task
        return task
    }

    private static func fetchPage(_ url: String, project: ProjectName, index: String, http: any HTTPClient)
        async throws(PythonError) -> [IndexFile]
    {
        let sink = DataSink()
        let response: HTTPResponse
        do {
            response = try await http.send(
                HTTPRequest(.get, url, headers: ["Accept": SimpleIndexPage.acceptHeader]), into: sink, limit: 256 << 20, progress: nil)
        } catch {
            throw .download(file: url, reason: error.description)
        }
        if response.status == 404 || response.status == 410 {
            throw .noSuchProject(name: project.normalized, index: index, requiredBy: "")
        }
        do {
            try response.requireSuccess(.get)
        } catch {
            throw .download(file: url, reason: error.description)
        }
        return try SimpleIndexPage.parse(sink.data, contentType: response.headers["Content-Type"], url: response.url)
    }

    public func metadata(of file: IndexFile, project: ProjectName) async throws(PythonError) -> CoreMetadata {
        if let known = metadataCache[file.url] { return known }
        let data: Data
        let name: String
        if file.metadata.isAvailable {
            requestCount += 1
            name = file.metadataURL
            data = try await Self.fetchMetadata(file, http: http)
        } else if let fetchWheel {
            let path = try await fetchWheel(file)
            name = file.filename
            data = try WheelArchive.metadata(ofWheel: path, filename: file.filename)
        } else {
            throw .download(file: file.metadataURL, reason: "the index serves no metadata file (PEP 658) for it")
        }
        let metadata = try CoreMetadata(parsing: data, file: name)
        if let wheel = try? WheelFilename(file.filename), metadata.name != wheel.name || metadata.version != wheel.version {
            throw .malformedMetadata(file: name, reason: "it describes \(metadata.name) \(metadata.version), not \(wheel.name) \(wheel.version)")
        }
        metadataCache[file.url] = metadata
        return metadata
    }

    /// The metadata file, checked against the digest the page gives for it.
    private static func fetchMetadata(_ file: IndexFile, http: any HTTPClient) async throws(PythonError) -> Data {
        let data: Data
        do {
            (_, data) = try await http.data(HTTPRequest(.get, file.metadataURL), limit: 16 << 20)
        } catch {
            throw .download(file: file.metadataURL, reason: error.description)
        }
        if case .sha256(let expected) = file.metadata {
            let actual = Digest.sha256(of: data).encoded
            guard actual == expected else {
                throw .digestMismatch(file: file.filename + ".metadata", expected: expected, actual: actual, promisedBy: "the index page")
            }
        }
        return data
    }
}
