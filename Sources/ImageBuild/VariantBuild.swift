import Debian
import Foundation

/// Builds the variants of a build file, one image each, one after another (they share the package and layer cache).
public enum VariantBuild {
    /// One variant's image.
    public struct Built: Sendable {
        public var variant: Variant
        /// The build file as the variant changes it.
        public var build: BuildFile
        public var result: BuildResult
    }

    /// Builds `names` of `build`'s variants (all when nil), each to `build/<name>-<variant>` unless `options` names outputs.
    public static func run(
        _ build: BuildFile, only names: [String]?, options: BuildOptions, progress: DownloadProgressHandler? = nil
    ) async throws -> [Built] {
        let variants = try build.selectVariants(names)
        if !options.outputs.isEmpty && variants.count > 1 {
            throw BuildError.conflictingOptions(
                "--output names one image, and \(build.path) builds \(variants.count) variants (\(variants.map(\.name).joined(separator: ", "))); "
                    + "add --variant NAME, or leave --output out (each variant goes to \(options.outputDirectory)/\(build.name)-<variant>)")
        }
        var built: [Built] = []
        // Variants that read the same suites resolve from one verified index, read once.
        var options = options
        if options.packageIndexes == nil { options.packageIndexes = PackageIndexCache() }
        for variant in variants {
            let applied = build.applying(variant)
            options.log("variant \(variant.name): building \(applied.name)")
            let result = try await ImageBuilder(build: applied, options: options, progress: progress).run()
            built.append(Built(variant: variant, build: applied, result: result))
        }
        return built
    }
}
