/// An SPDX 2.3 file, field for field (the deprecated `artifactOf` and `fileDependencies` left out).
public struct SPDXFile: Codable, Hashable, Sendable {
    public var SPDXID: String
    public var fileName: String
    public var fileTypes: [String]?
    public var checksums: [SPDXChecksum]
    public var licenseConcluded: String?
    public var licenseInfoInFiles: [String]?
    public var licenseComments: String?
    public var copyrightText: String?
    public var comment: String?
    public var noticeText: String?
    public var fileContributors: [String]?
    public var attributionTexts: [String]?
    public var annotations: [SPDXAnnotation]?

    public init(
        SPDXID: String, fileName: String, fileTypes: [String]? = nil, checksums: [SPDXChecksum], licenseConcluded: String? = nil,
        licenseInfoInFiles: [String]? = nil, licenseComments: String? = nil, copyrightText: String? = nil, comment: String? = nil,
        noticeText: String? = nil, fileContributors: [String]? = nil, attributionTexts: [String]? = nil,
        annotations: [SPDXAnnotation]? = nil
    ) {
        self.SPDXID = SPDXID
        self.fileName = fileName
        self.fileTypes = fileTypes
        self.checksums = checksums
        self.licenseConcluded = licenseConcluded
        self.licenseInfoInFiles = licenseInfoInFiles
        self.licenseComments = licenseComments
        self.copyrightText = copyrightText
        self.comment = comment
        self.noticeText = noticeText
        self.fileContributors = fileContributors
        self.attributionTexts = attributionTexts
        self.annotations = annotations
    }
}

/// A part of a file under its own license, field for field.
public struct SPDXSnippet: Codable, Hashable, Sendable {
    public var SPDXID: String
    public var snippetFromFile: String
    public var ranges: [SPDXSnippetRange]
    public var name: String?
    public var licenseConcluded: String?
    public var licenseInfoInSnippets: [String]?
    public var licenseComments: String?
    public var copyrightText: String?
    public var comment: String?
    public var attributionTexts: [String]?
    public var annotations: [SPDXAnnotation]?

    public init(
        SPDXID: String, snippetFromFile: String, ranges: [SPDXSnippetRange], name: String? = nil, licenseConcluded: String? = nil,
        licenseInfoInSnippets: [String]? = nil, licenseComments: String? = nil, copyrightText: String? = nil,
        comment: String? = nil, attributionTexts: [String]? = nil, annotations: [SPDXAnnotation]? = nil
    ) {
        self.SPDXID = SPDXID
        self.snippetFromFile = snippetFromFile
        self.ranges = ranges
        self.name = name
        self.licenseConcluded = licenseConcluded
        self.licenseInfoInSnippets = licenseInfoInSnippets
        self.licenseComments = licenseComments
        self.copyrightText = copyrightText
        self.comment = comment
        self.attributionTexts = attributionTexts
        self.annotations = annotations
    }
}

/// A byte or line range of a snippet.
public struct SPDXSnippetRange: Codable, Hashable, Sendable {
    /// One end of a range: a byte offset or a line number within the file `reference` names.
    public struct Pointer: Codable, Hashable, Sendable {
        public var reference: String
        public var offset: Int?
        public var lineNumber: Int?

        public init(reference: String, offset: Int? = nil, lineNumber: Int? = nil) {
            self.reference = reference
            self.offset = offset
            self.lineNumber = lineNumber
        }
    }

    public var startPointer: Pointer
    public var endPointer: Pointer

    public init(startPointer: Pointer, endPointer: Pointer) {
        self.startPointer = startPointer
        self.endPointer = endPointer
    }
}
