import ContainerRuntime
import Foundation
import StrictYAML
import Yams

extension StructureTestFile {
    /// Reads and validates a container-structure-test YAML file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StructureTestError.testFileInvalid(file: path, line: nil, column: nil, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StructureTestError.testFileInvalid(file: path, line: nil, column: nil, reason: "is not UTF-8 text")
        }
        try self.init(yaml: text, path: path)
    }

    /// Parses container-structure-test YAML; unknown keys and wrong types are errors with line and column.
    public init(yaml: String, path: String) throws {
        do {
            try self.init(parsing: yaml, path: path)
        } catch let problem as YAMLProblem {
            throw StructureTestError.testFileInvalid(file: problem.file, line: problem.line, column: problem.column, reason: problem.reason)
        }
    }

    private init(parsing yaml: String, path: String) throws {
        let reader = StrictYAMLReader(file: path)
        guard let root = try reader.compose(yaml) else {
            throw StructureTestError.testFileInvalid(file: path, line: nil, column: nil, reason: "the file is empty")
        }
        let top = try reader.mapping(root, "the test file", allowed: [
            "schemaVersion", "globalEnvVars", "commandTests", "fileExistenceTests", "fileContentTests",
            "metadataTest", "licenseTests", "containerRunOptions",
        ])
        guard let versionNode = top["schemaVersion"] else {
            throw reader.error(root, "schemaVersion is missing (use \"2.0.0\" or \"1.0.0\")")
        }
        let version = try reader.string(versionNode, "schemaVersion")
        guard Self.supportedVersions.contains(version) else {
            throw reader.error(versionNode, "schemaVersion '\(version)' is not supported (use \"2.0.0\" or \"1.0.0\")")
        }
        let parser = Parser(reader: reader)
        self.init(path: path, schemaVersion: version)
        if let node = top["globalEnvVars"] { globalEnvVars = try parser.envVars(node, "globalEnvVars") }
        if let node = top["commandTests"] {
            commandTests = try reader.sequence(node, "commandTests").enumerated()
                .map { try parser.commandTest($1, "commandTests[\($0)]") }
        }
        if let node = top["fileExistenceTests"] {
            fileExistenceTests = try reader.sequence(node, "fileExistenceTests").enumerated()
                .map { try parser.fileExistenceTest($1, "fileExistenceTests[\($0)]") }
        }
        if let node = top["fileContentTests"] {
            fileContentTests = try reader.sequence(node, "fileContentTests").enumerated()
                .map { try parser.fileContentTest($1, "fileContentTests[\($0)]") }
        }
        if let node = top["metadataTest"], !reader.isNull(node) { metadataTest = try parser.metadataTest(node) }
        if let node = top["licenseTests"] {
            licenseTests = try reader.sequence(node, "licenseTests").enumerated()
                .map { try parser.licenseTest($1, "licenseTests[\($0)]") }
        }
        if let node = top["containerRunOptions"], !reader.isNull(node) {
            containerRunOptions = try parser.runOptions(node)
        }
    }
}

/// The per-section rules of the schema.
private struct Parser {
    let reader: StrictYAMLReader

    func envVars(_ node: Node, _ context: String) throws -> [StructureTestFile.EnvVar] {
        try reader.sequence(node, context).enumerated().map { index, item in
            let location = "\(context)[\(index)]"
            let fields = try reader.mapping(item, location, allowed: ["key", "value", "isRegex"])
            guard let key = fields["key"] else { throw reader.error(item, "\(location) needs a key") }
            return StructureTestFile.EnvVar(
                key: try reader.string(key, "\(location).key"),
                value: try fields["value"].map { reader.isNull($0) ? "" : try reader.string($0, "\(location).value") } ?? "",
                isRegex: try fields["isRegex"].map { try reader.bool($0, "\(location).isRegex") } ?? false)
        }
    }

    func name(_ fields: [String: Node], _ node: Node, _ context: String) throws -> String {
        guard let value = fields["name"] else { throw reader.error(node, "\(context) needs a name") }
        let name = try reader.string(value, "\(context).name")
        guard !name.isEmpty else { throw reader.error(value, "\(context).name is empty") }
        return name
    }

    func commandTest(_ node: Node, _ context: String) throws -> StructureTestFile.CommandTest {
        let fields = try reader.mapping(node, context, allowed: [
            "name", "command", "args", "envVars", "setup", "teardown", "exitCode", "expectedOutput",
            "excludedOutput", "expectedError", "excludedError",
        ])
        let name = try name(fields, node, context)
        // v1 writes the whole argv as a list; v2 a string plus `args`. Both forms are accepted in both versions.
        guard let commandNode = fields["command"], !reader.isNull(commandNode) else {
            throw reader.error(node, "\(context) ('\(name)') needs a command")
        }
        var command: [String]
        if case .sequence = commandNode {
            command = try reader.strings(commandNode, "\(context).command")
        } else {
            command = [try reader.string(commandNode, "\(context).command")]
        }
        if let args = fields["args"] { command += try reader.strings(args, "\(context).args") }
        guard let first = command.first, !first.isEmpty else {
            throw reader.error(commandNode, "\(context) ('\(name)') has an empty command")
        }
        var test = StructureTestFile.CommandTest(name: name, command: command)
        if let node = fields["envVars"] { test.envVars = try envVars(node, "\(context).envVars") }
        if let node = fields["setup"] { test.setup = try commands(node, "\(context).setup") }
        if let node = fields["teardown"] { test.teardown = try commands(node, "\(context).teardown") }
        if let node = fields["exitCode"] {
            let code = try reader.int(node, "\(context).exitCode")
            guard (0...255).contains(code) else { throw reader.error(node, "\(context).exitCode must be 0…255") }
            test.exitCode = Int32(code)
        }
        if let node = fields["expectedOutput"] { test.expectedOutput = try reader.strings(node, "\(context).expectedOutput") }
        if let node = fields["excludedOutput"] { test.excludedOutput = try reader.strings(node, "\(context).excludedOutput") }
        if let node = fields["expectedError"] { test.expectedError = try reader.strings(node, "\(context).expectedError") }
        if let node = fields["excludedError"] { test.excludedError = try reader.strings(node, "\(context).excludedError") }
        return test
    }

    private func commands(_ node: Node, _ context: String) throws -> [[String]] {
        try reader.sequence(node, context).enumerated().map { index, item in
            let argv = try reader.strings(item, "\(context)[\(index)]")
            guard !argv.isEmpty else { throw reader.error(item, "\(context)[\(index)] is an empty command") }
            return argv
        }
    }

    func fileExistenceTest(_ node: Node, _ context: String) throws -> StructureTestFile.FileExistenceTest {
        let fields = try reader.mapping(node, context, allowed: [
            "name", "path", "shouldExist", "permissions", "uid", "gid", "isExecutableBy",
        ])
        var test = StructureTestFile.FileExistenceTest(name: try name(fields, node, context), path: try path(fields, node, context))
        if let node = fields["shouldExist"] { test.shouldExist = try reader.bool(node, "\(context).shouldExist") }
        if let node = fields["permissions"] { test.permissions = try reader.string(node, "\(context).permissions") }
        if let node = fields["uid"] { test.uid = try reader.int(node, "\(context).uid") }
        if let node = fields["gid"] { test.gid = try reader.int(node, "\(context).gid") }
        if let node = fields["isExecutableBy"] {
            let who = try reader.string(node, "\(context).isExecutableBy")
            guard ["owner", "group", "other", "any"].contains(who) else {
                throw reader.error(node, "\(context).isExecutableBy must be owner, group, other or any")
            }
            test.isExecutableBy = who
        }
        return test
    }

    func fileContentTest(_ node: Node, _ context: String) throws -> StructureTestFile.FileContentTest {
        let fields = try reader.mapping(node, context, allowed: ["name", "path", "expectedContents", "excludedContents"])
        var test = StructureTestFile.FileContentTest(name: try name(fields, node, context), path: try path(fields, node, context))
        if let node = fields["expectedContents"] { test.expectedContents = try reader.strings(node, "\(context).expectedContents") }
        if let node = fields["excludedContents"] { test.excludedContents = try reader.strings(node, "\(context).excludedContents") }
        return test
    }

    private func path(_ fields: [String: Node], _ node: Node, _ context: String) throws -> String {
        guard let value = fields["path"] else { throw reader.error(node, "\(context) needs a path") }
        let path = try reader.string(value, "\(context).path")
        guard !path.isEmpty else { throw reader.error(value, "\(context).path is empty") }
        return path
    }

    func metadataTest(_ node: Node) throws -> StructureTestFile.MetadataTest {
        let context = "metadataTest"
        // `envVars`/`unboundEnvVars` are the names since container-structure-test 1.12 (late 2022); the
        // older `env`/`unboundEnv` are still read, and both spellings may appear together.
        let fields = try reader.mapping(node, context, allowed: [
            "env", "envVars", "unboundEnv", "unboundEnvVars", "labels", "exposedPorts", "unexposedPorts", "volumes",
            "unmountedVolumes", "entrypoint", "cmd", "workdir", "user",
        ])
        var test = StructureTestFile.MetadataTest()
        for key in ["env", "envVars"] {
            if let node = fields[key] { test.env += try envVars(node, "\(context).\(key)") }
        }
        for key in ["unboundEnv", "unboundEnvVars"] {
            if let node = fields[key] { test.unboundEnv += try envVars(node, "\(context).\(key)") }
        }
        if let node = fields["labels"] { test.labels = try envVars(node, "\(context).labels") }
        if let node = fields["exposedPorts"] { test.exposedPorts = try reader.strings(node, "\(context).exposedPorts") }
        if let node = fields["unexposedPorts"] { test.unexposedPorts = try reader.strings(node, "\(context).unexposedPorts") }
        if let node = fields["volumes"] { test.volumes = try reader.strings(node, "\(context).volumes") }
        if let node = fields["unmountedVolumes"] { test.unmountedVolumes = try reader.strings(node, "\(context).unmountedVolumes") }
        // An explicit empty list means "must be empty"; a null is the same as leaving the key out.
        if let node = fields["entrypoint"], !reader.isNull(node) { test.entrypoint = try reader.strings(node, "\(context).entrypoint") }
        if let node = fields["cmd"], !reader.isNull(node) { test.cmd = try reader.strings(node, "\(context).cmd") }
        if let node = fields["workdir"], !reader.isNull(node) { test.workdir = try reader.string(node, "\(context).workdir") }
        if let node = fields["user"], !reader.isNull(node) { test.user = try reader.string(node, "\(context).user") }
        return test
    }

    func licenseTest(_ node: Node, _ context: String) throws -> StructureTestFile.LicenseTest {
        let fields = try reader.mapping(node, context, allowed: ["debian", "files"])
        return StructureTestFile.LicenseTest(
            debian: try fields["debian"].map { try reader.bool($0, "\(context).debian") } ?? false,
            files: try fields["files"].map { try reader.strings($0, "\(context).files") } ?? [])
    }

    func runOptions(_ node: Node) throws -> StructureTestFile.ContainerRunOptions {
        let context = "containerRunOptions"
        let fields = try reader.mapping(node, context, allowed: [
            "user", "envVars", "privileged", "allTTY", "envFile", "capabilities", "bindMounts",
        ])
        // Options that would weaken the sandbox or need files from the host are refused, not ignored.
        for key in ["privileged", "allTTY"] {
            if let value = fields[key], try reader.bool(value, "\(context).\(key)") {
                throw reader.error(value, "\(context).\(key): true is not supported by distill")
            }
        }
        for key in ["envFile", "capabilities", "bindMounts"] {
            if let value = fields[key], !reader.isNull(value) {
                throw reader.error(value, "\(context).\(key) is not supported by distill")
            }
        }
        var options = StructureTestFile.ContainerRunOptions()
        if let node = fields["user"], !reader.isNull(node) { options.user = try reader.string(node, "\(context).user") }
        if let node = fields["envVars"] { options.envVars = try reader.strings(node, "\(context).envVars") }
        return options
    }
}
