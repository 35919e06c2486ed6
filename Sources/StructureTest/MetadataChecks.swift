import ContainerRuntime
import ImageFormat

/// The metadata test, answered from the image configuration.
enum MetadataChecks {
    static func check(_ test: StructureTestFile.MetadataTest, config: ContainerConfig?, file: String) -> StructureTestResult {
        var result = StructureTestResult(kind: .metadata, name: "", file: file)
        let env = EnvExpansion.dictionary(config?.env ?? [])
        let labels = config?.labels ?? [:]

        func compare(_ pairs: [StructureTestFile.EnvVar], in values: [String: String], what: String) {
            for pair in pairs {
                guard let actual = values[pair.key] else {
                    result.fail("\(what) \(pair.key) is not set in the image")
                    continue
                }
                if pair.isRegex {
                    do {
                        if !(try GoRegex(pair.value).matches(actual)) {
                            result.fail("\(what) \(pair.key)='\(actual)' does not match '\(pair.value)'")
                        }
                    } catch {
                        result.fail("\(error)")
                    }
                } else if actual != pair.value {
                    result.fail("\(what) \(pair.key) is '\(actual)', expected '\(pair.value)'")
                }
            }
        }
        compare(test.env, in: env, what: "env var")
        compare(test.labels, in: labels, what: "label")
        for pair in test.unboundEnv where env[pair.key] != nil {
            result.fail("env var \(pair.key) should not be set but is '\(env[pair.key]!)'")
        }

        if let expected = test.entrypoint, expected != (config?.entrypoint ?? []) {
            result.fail("entrypoint is \(config?.entrypoint ?? []), expected \(expected)")
        }
        if let expected = test.cmd, expected != (config?.cmd ?? []) {
            result.fail("cmd is \(config?.cmd ?? []), expected \(expected)")
        }
        if let expected = test.workdir, !expected.isEmpty, expected != (config?.workingDir ?? "") {
            result.fail("workdir is '\(config?.workingDir ?? "")', expected '\(expected)'")
        }
        if let expected = test.user, !expected.isEmpty, expected != (config?.user ?? "") {
            result.fail("user is '\(config?.user ?? "")', expected '\(expected)'")
        }

        // Ports are keyed "8080/tcp" in the image; container-structure-test compares the number alone.
        let ports = Set((config?.exposedPorts ?? [:]).keys.flatMap { [$0, String($0.split(separator: "/").first ?? "")] })
        for port in test.exposedPorts where !ports.contains(port) {
            result.fail("port \(port) is not exposed (exposed: \(sorted(config?.exposedPorts)))")
        }
        for port in test.unexposedPorts where ports.contains(port) {
            result.fail("port \(port) should not be exposed but is")
        }
        let volumes = Set((config?.volumes ?? [:]).keys)
        for volume in test.volumes where !volumes.contains(volume) {
            result.fail("volume \(volume) is not declared (volumes: \(sorted(config?.volumes)))")
        }
        for volume in test.unmountedVolumes where volumes.contains(volume) {
            result.fail("volume \(volume) should not be declared but is")
        }
        return result
    }

    private static func sorted(_ keys: [String: EmptyObject]?) -> String {
        let list = (keys ?? [:]).keys.sorted()
        return list.isEmpty ? "none" : list.joined(separator: ", ")
    }
}
