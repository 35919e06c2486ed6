/// Go modules from the build info of Go binaries: the main module, its dependencies and the standard library.
public enum GoCataloger {
    /// One package per module per binary (a module in two binaries is listed twice, at each location).
    public static func catalog(_ binaries: [String: (layer: Int, info: GoBuildInfo)]) -> [CatalogedPackage] {
        var packages: [CatalogedPackage] = []
        for (path, found) in binaries {
            let info = found.info
            func package(_ module: GoBuildInfo.Module, main: Bool) -> CatalogedPackage {
                // A replacement by another module is what is actually linked. A local directory has no version:
                // reporting the required one would match advisories against code that is not in the binary.
                var name = module.path
                var version = module.version
                if let replacement = module.replacement {
                    if replacement.path.hasPrefix(".") || replacement.path.hasPrefix("/") {
                        version = "(devel)"
                    } else if !replacement.version.isEmpty {
                        name = replacement.path
                        version = replacement.version
                    }
                }
                return CatalogedPackage(
                    ecosystem: .go, name: name, version: version, location: path, layer: found.layer,
                    goToolchain: info.goVersion, isMainModule: main)
            }
            if let main = info.main { packages.append(package(main, main: true)) }
            packages += info.dependencies.map { package($0, main: false) }
            if info.goVersion.hasPrefix("go") {
                packages.append(
                    CatalogedPackage(
                        ecosystem: .go, name: "stdlib", version: String(info.goVersion.dropFirst(2)), location: path,
                        layer: found.layer, goToolchain: info.goVersion, isMainModule: false))
            }
        }
        return packages
    }
}
