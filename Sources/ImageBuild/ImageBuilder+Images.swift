import Archive
import Debian
import Foundation
import ImageFormat
import SBOM

/// What the images a build file names give one architecture: the base it goes on and the trees `copy_from:` takes.
struct ImageInputs {
    var base: BaseImage?
    /// The `copy_from:` nodes for the app layer, and the paths they insert themselves (not parents made on the way).
    var copied = LayerTree()
    var copiedPaths: Set<String> = []

    /// The base's files under the layers distill adds (empty without a base).
    var baseIndex: OSLayerIndex { base?.index ?? OSLayerIndex(tree: LayerTree(), owners: [:]) }

    /// `index` (the OS layer's) laid over the base's files.
    func over(_ index: OSLayerIndex) -> OSLayerIndex {
        guard let base else { return index }
        return ImageFiles(base: base.index, index: index).index
    }
}

extension ImageBuilder {
    /// Reads the pinned base and `copy_from:` images for `architecture` (fetching what the cache lacks, unless offline).
    func imageInputs(_ architecture: String, lock: BuildLock?, scratch: String) async throws -> ImageInputs {
        var inputs = ImageInputs()
        guard build.baseImage != nil || !build.copyFrom.isEmpty else { return inputs }
        guard let lock else { throw BuildError.imageLock(file: build.lockPath, reference: build.baseImage?.text ?? "", reason: "there is no lock") }
        let store = try ImageStore(cacheDirectory: options.cacheDirectory, offline: options.offline, log: options.log)
        if let input = build.baseImage {
            guard let locked = lock.baseImage else { throw BuildError.imageLock(file: build.lockPath, reference: input.text, reason: "it pins no base image") }
            let pulled = try await store.fetch(input, locked: locked, architecture: architecture, lockFile: build.lockPath)
            let base = try await BaseImage.read(pulled)
            let wanted = Platform(debianArchitecture: architecture).architecture
            if base.configuration.architecture != wanted {
                throw BuildError.image(
                    reference: input.text,
                    reason: "its \(architecture) manifest \(pulled.manifestDescriptor.digest) holds a \(base.configuration.architecture) image; it cannot be the \(architecture) base")
            }
            options.log("\(architecture): on \(input.text) (\(pulled.manifestDescriptor.digest.encoded.prefix(12)), \(base.layers.count) layers)")
            inputs.base = base
        }
        for (number, entry) in build.copyFrom.enumerated() {
            guard number < lock.copyFrom.count else {
                throw BuildError.imageLock(file: build.lockPath, reference: entry.image.text, reason: "it pins no copy_from[\(number)] image")
            }
            let pulled = try await store.fetch(entry.image, locked: lock.copyFrom[number], architecture: architecture, lockFile: build.lockPath)
            let directory = scratch + "/copy-\(architecture)-\(number)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let tree = try await CopyFrom(entry: entry, buildFile: build.path).tree(from: pulled, scratch: directory)
            for path in tree.sortedPaths() {
                guard let node = tree[path] else { continue }
                inputs.copied.insert(node, at: path)
                inputs.copiedPaths.insert(path)
            }
            options.log("\(architecture): copy_from \(entry.image.text): \(entry.paths.map { "/" + $0 }.joined(separator: ", ")) (\(tree.count) entries)")
        }
        return inputs
    }

    /// The locked packages less those the base already has (said in the log).
    func packagesToInstall(_ packages: [PackageDownload], on inputs: ImageInputs, architecture: String) -> [PackageDownload] {
        guard let base = inputs.base else { return packages }
        let (install, skipped) = BasePackages.split(packages, installed: base.debianPackages, architecture: architecture)
        if !skipped.isEmpty {
            options.log("\(architecture): the base image has \(skipped.count) of the packages already, not added again: \(skipped.joined(separator: ", "))")
        }
        return install
    }

    /// The preset's files less those the base already has: on a base image distill adds no skeleton file the base
    /// has (its accounts, os-release and nsswitch stay as they are). Accounts the build file adds cannot then go in.
    func skeleton(_ files: [(String, LayerNode)], on inputs: ImageInputs, architecture: String) throws -> [(String, LayerNode)] {
        guard let base = inputs.base else { return files }
        let has = { (path: String) in base.index[base.index.resolve(path, followLast: false)] != nil }
        if has("etc/passwd"), !build.accounts.users.isEmpty || !build.accounts.groups.isEmpty {
            throw BuildError.image(
                reference: build.baseImage?.text ?? "",
                reason: "it has its own /etc/passwd, which distill does not rewrite; leave out accounts: and use a numeric user: (uid:gid)")
        }
        let kept = files.filter { !has($0.0) }
        let left = files.count - kept.count
        if left > 0 { options.log("\(architecture): kept the base image's own \(files.filter { has($0.0) }.map { "/" + $0.0 }.joined(separator: ", "))") }
        return kept
    }

    /// The base's layers as files of `scratch` (hard links to the cache's, or copies), lowest first.
    func baseLayers(_ inputs: ImageInputs, scratch: String, architecture: String) throws -> [(blob: LayerBlob, file: String)] {
        guard let base = inputs.base else { return [] }
        var result: [(blob: LayerBlob, file: String)] = []
        for (index, blob) in base.layers.enumerated() {
            let file = scratch + "/base-\(architecture)-\(index).layer"
            try? FileManager.default.removeItem(atPath: file)
            if link(base.files[index], file) != 0 { try FileManager.default.copyItem(atPath: base.files[index], toPath: file) }
            result.append((blob, file))
        }
        return result
    }

    /// On a base image whose user the build file does not replace: app files belong to the base's user when it
    /// is numeric (`uid[:gid]`), as the container runs as that user.
    func inheritedOwner(_ inputs: ImageInputs) -> (uid: Int64, gid: Int64)? {
        guard !build.written.contains("user"), let user = inputs.base?.configuration.config?.user, !user.isEmpty,
            user.first?.isNumber == true, let parsed = ImageUser(user, accounts: Accounts())
        else { return nil }
        return (parsed.uid, parsed.gid)
    }

    /// The history comment of the copied paths.
    var copyFromComment: String? {
        if build.copyFrom.isEmpty { return nil }
        return "copy_from: " + build.copyFrom.map { "\($0.image.text) " + $0.paths.map { "/" + $0 }.joined(separator: " ") }.joined(separator: ", ")
    }
}
