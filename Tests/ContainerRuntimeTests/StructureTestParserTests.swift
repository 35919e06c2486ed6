import ContainerRuntime
import Foundation
import StructureTest
import Testing

@Suite("Parsing container-structure-test files")
struct StructureTestParserTests {
    @Test("every distroless test file in shared/testdata parses")
    func distrolessFiles() throws {
        let root = StructureTestRunTests.distrolessTests
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }
        #expect(files.count == 8)
        for relative in files {
            let file = try StructureTestFile(contentsOf: root.appendingPathComponent(relative).path)
            #expect(file.schemaVersion == "1.0.0")
        }
        let python = try StructureTestFile(contentsOf: root.appendingPathComponent("python3/python3.yaml").path)
        #expect(python.commandTests.map(\.name) == ["hello", "no_shell", "filesystem_utf8", "print_utf8"])
        #expect(python.commandTests[1].exitCode == 1)
        #expect(python.commandTests[3].expectedOutput == [#"h\xe9llo"#])
        #expect(python.commandTests[2].command[2].contains(#"h\xe9llo"#), "YAML double quotes turn \\\\ into one backslash")
    }

    @Test("v1 list commands and v2 string+args commands both become an argv")
    func commandForms() throws {
        let file = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            commandTests:
              - {name: list, command: [/bin/a, x]}
              - {name: string, command: /bin/b, args: [y, z], exitCode: 3}
            """, path: "t.yaml")
        #expect(file.commandTests.map(\.command) == [["/bin/a", "x"], ["/bin/b", "y", "z"]])
        #expect(file.commandTests.map(\.exitCode) == [0, 3])
    }

    @Test("metadataTest reads envVars/unboundEnvVars (current names) beside env/unboundEnv")
    func currentMetadataNames() throws {
        let file = try StructureTestFile(yaml: """
            schemaVersion: "2.0.0"
            metadataTest:
              envVars: [{key: A, value: "1"}, {key: B, value: "b.*", isRegex: true}]
              unboundEnvVars: [{key: C}]
              env: [{key: D, value: "4"}]
            """, path: "t.yaml")
        #expect(file.metadataTest?.env.map(\.key) == ["D", "A", "B"])
        #expect(file.metadataTest?.env[2].isRegex == true)
        #expect(file.metadataTest?.unboundEnv.map(\.key) == ["C"])
    }

    @Test("defaults: shouldExist true, exit code 0, no metadata test unless present")
    func defaults() throws {
        let file = try StructureTestFile(yaml: """
            schemaVersion: "1.0.0"
            fileExistenceTests: [{name: a, path: /a}]
            """, path: "t.yaml")
        #expect(file.fileExistenceTests == [.init(name: "a", path: "/a", shouldExist: true)])
        #expect(file.metadataTest == nil)
    }

    @Test("mistakes are errors with file, line and column", arguments: [
        ("schemaVersion: \"2.0.0\"\ncommandTests:\n  - name: x\n    command: [a]\n    expectedOutputs: [y]\n",
         "t.yaml:5:5: unknown key 'expectedOutputs' in commandTests[0] (expected one of: name, command, args, envVars, setup, teardown, exitCode, expectedOutput, excludedOutput, expectedError, excludedError)"),
        ("schemaVersion: \"3.0.0\"\n", "t.yaml:1:16: schemaVersion '3.0.0' is not supported (use \"2.0.0\" or \"1.0.0\")"),
        ("commandTests: []\n", "t.yaml:1:1: schemaVersion is missing (use \"2.0.0\" or \"1.0.0\")"),
        ("schemaVersion: \"2.0.0\"\nfileExistenceTests:\n  - {name: a, path: /a, shouldExist: perhaps}\n",
         "t.yaml:3:38: fileExistenceTests[0].shouldExist must be true or false"),
        ("schemaVersion: \"2.0.0\"\ncommandTests:\n  - name: x\n", "t.yaml:3:5: commandTests[0] ('x') needs a command"),
        ("schemaVersion: \"2.0.0\"\ncommandTests: {name: x}\n", "t.yaml:2:15: commandTests must be a list"),
        ("schemaVersion: \"2.0.0\"\nfileContentTests:\n  - name: a\n    path: /a\n    path: /b\n",
         "t.yaml:5:5: duplicate key 'path'"),
        ("schemaVersion: \"2.0.0\"\ncontainerRunOptions: {privileged: true}\n",
         "t.yaml:2:35: containerRunOptions.privileged: true is not supported by distill"),
        ("schemaVersion: \"2.0.0\"\ncommandTests: [\n", "t.yaml:3:1: invalid YAML: while parsing a flow node: did not find expected node content"),
    ])
    func errors(yaml: String, message: String) {
        #expect {
            try StructureTestFile(yaml: yaml, path: "t.yaml")
        } throws: { error in
            "\(error)" == message
        }
    }
}
