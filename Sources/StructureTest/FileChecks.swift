import ContainerRuntime
import Foundation

/// File existence and file content tests, answered from the unpacked root filesystem directly.
enum FileChecks {
    /// container-structure-test stats the last component without following it (a symlink reports
    /// `Lrwxrwxrwx`), after resolving the directories above it inside the image.
    static func existence(
        _ test: StructureTestFile.FileExistenceTest, rootfs: RootFilesystem, env: [String: String], file: String
    ) -> StructureTestResult {
        var result = StructureTestResult(kind: .fileExistence, name: test.name, file: file)
        let path = EnvExpansion.expand(test.path, with: env)
        let status: FileStatus?
        do {
            status = try rootfs.status(of: path, followFinalSymlink: false)
        } catch {
            result.fail("\(error)")
            return result
        }
        guard let status else {
            if test.shouldExist { result.fail("\(path) should exist but does not") }
            return result
        }
        guard test.shouldExist else {
            result.fail("\(path) should not exist but does (a \(status.kindDescription))")
            return result
        }
        if let expected = test.permissions, status.goModeString != expected {
            result.fail("\(path) has permissions \(status.goModeString), expected \(expected)")
        }
        if let who = test.isExecutableBy {
            let mask: UInt32 = ["owner": 0o100, "group": 0o010, "other": 0o001, "any": 0o111][who] ?? 0o111
            if status.mode & mask == 0 {
                result.fail("\(path) is not executable by \(who) (permissions \(status.goModeString))")
            }
        }
        if let uid = test.uid, Int(status.uid) != uid {
            result.fail("\(path) is owned by uid \(status.uid), expected \(uid)")
        }
        if let gid = test.gid, Int(status.gid) != gid {
            result.fail("\(path) has group gid \(status.gid), expected \(gid)")
        }
        return result
    }

    /// Every expected regex must match somewhere in the whole file, no excluded one may.
    static func content(
        _ test: StructureTestFile.FileContentTest, rootfs: RootFilesystem, env: [String: String], file: String
    ) -> StructureTestResult {
        var result = StructureTestResult(kind: .fileContent, name: test.name, file: file)
        let path = EnvExpansion.expand(test.path, with: env)
        let text: String
        do {
            text = String(decoding: try rootfs.contents(of: path), as: UTF8.self)
        } catch {
            result.fail("cannot read \(path): \(error)")
            return result
        }
        for failure in RegexChecks.check(expected: test.expectedContents, excluded: test.excludedContents, in: text, what: "\(path)") {
            result.fail(failure)
        }
        return result
    }
}
