/// An SPDX 2.3 package, field for field.
public struct SPDXPackage: Codable, Hashable, Sendable {
    public var SPDXID: String
    public var name: String
    public var versionInfo: String?
    public var packageFileName: String?
    /// `Person: …`, `Organization: …` or `NOASSERTION`.
    public var supplier: String?
    public var originator: String?
    /// A URL, `NONE` or `NOASSERTION`.
    public var downloadLocation: String
    public var filesAnalyzed: Bool?
    public var packageVerificationCode: SPDXPackageVerificationCode?
    public var checksums: [SPDXChecksum]?
    public var homepage: String?
    public var sourceInfo: String?
    public var licenseConcluded: String?
    public var licenseInfoFromFiles: [String]?
    public var licenseDeclared: String?
    public var licenseComments: String?
    public var copyrightText: String?
    public var summary: String?
    public var description: String?
    public var comment: String?
    public var externalRefs: [SPDXExternalRef]?
    public var attributionTexts: [String]?
    /// `APPLICATION`, `FRAMEWORK`, `LIBRARY`, `CONTAINER`, `OPERATING-SYSTEM`, `DEVICE`, `FIRMWARE`, `SOURCE`,
    /// `ARCHIVE`, `FILE`, `INSTALL`, `OTHER`.
    public var primaryPackagePurpose: String?
    public var releaseDate: String?
    public var builtDate: String?
    public var validUntilDate: String?
    public var annotations: [SPDXAnnotation]?
    public var hasFiles: [String]?

    public init(
        SPDXID: String, name: String, versionInfo: String? = nil, packageFileName: String? = nil, supplier: String? = nil,
        originator: String? = nil, downloadLocation: String = "NOASSERTION", filesAnalyzed: Bool? = nil,
        packageVerificationCode: SPDXPackageVerificationCode? = nil, checksums: [SPDXChecksum]? = nil, homepage: String? = nil,
        sourceInfo: String? = nil, licenseConcluded: String? = nil, licenseInfoFromFiles: [String]? = nil,
        licenseDeclared: String? = nil, licenseComments: String? = nil, copyrightText: String? = nil, summary: String? = nil,
        description: String? = nil, comment: String? = nil, externalRefs: [SPDXExternalRef]? = nil,
        attributionTexts: [String]? = nil, primaryPackagePurpose: String? = nil, releaseDate: String? = nil,
        builtDate: String? = nil, validUntilDate: String? = nil, annotations: [SPDXAnnotation]? = nil, hasFiles: [String]? = nil
    ) {
        self.SPDXID = SPDXID
        self.name = name
        self.versionInfo = versionInfo
        self.packageFileName = packageFileName
        self.supplier = supplier
        self.originator = originator
        self.downloadLocation = downloadLocation
        self.filesAnalyzed = filesAnalyzed
        self.packageVerificationCode = packageVerificationCode
        self.checksums = checksums
        self.homepage = homepage
        self.sourceInfo = sourceInfo
        self.licenseConcluded = licenseConcluded
        self.licenseInfoFromFiles = licenseInfoFromFiles
        self.licenseDeclared = licenseDeclared
        self.licenseComments = licenseComments
        self.copyrightText = copyrightText
        self.summary = summary
        self.description = description
        self.comment = comment
        self.externalRefs = externalRefs
        self.attributionTexts = attributionTexts
        self.primaryPackagePurpose = primaryPackagePurpose
        self.releaseDate = releaseDate
        self.builtDate = builtDate
        self.validUntilDate = validUntilDate
        self.annotations = annotations
        self.hasFiles = hasFiles
    }
}

/// A reference from a package to something outside the document: a purl, a CPE, a security advisory.
public struct SPDXExternalRef: Codable, Hashable, Sendable {
    /// `SECURITY`, `PACKAGE-MANAGER`, `PERSISTENT-ID` or `OTHER`.
    public var referenceCategory: String
    /// `purl`, `cpe23Type`…
    public var referenceType: String
    public var referenceLocator: String
    public var comment: String?

    public init(referenceCategory: String, referenceType: String, referenceLocator: String, comment: String? = nil) {
        self.referenceCategory = referenceCategory
        self.referenceType = referenceType
        self.referenceLocator = referenceLocator
        self.comment = comment
    }
}

/// The verification code over a package's files (only when `filesAnalyzed` is true).
public struct SPDXPackageVerificationCode: Codable, Hashable, Sendable {
    public var packageVerificationCodeValue: String
    public var packageVerificationCodeExcludedFiles: [String]?

    public init(packageVerificationCodeValue: String, packageVerificationCodeExcludedFiles: [String]? = nil) {
        self.packageVerificationCodeValue = packageVerificationCodeValue
        self.packageVerificationCodeExcludedFiles = packageVerificationCodeExcludedFiles
    }
}
