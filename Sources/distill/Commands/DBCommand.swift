import ArgumentParser
import Foundation
import Vulnerabilities

/// `distill db import|update|status`: the offline OSV advisory database.
struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the offline vulnerability database (OSV records in SQLite).",
        subcommands: [Import.self, Update.self, Status.self])

    struct Location: ParsableArguments {
        @Option(name: .long, help: "The database file (default: $XDG_CACHE_HOME/distill/vuln.db, else ~/.cache/distill/vuln.db).")
        var db: String?

        var path: String { db ?? VulnerabilityStore.defaultPath() }
    }

    /// `distill db import PATH…`
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import OSV all.zip files, folders of OSV JSON records, or single records (any ecosystem).")

        @Argument(help: "all.zip files, folders or .json files.")
        var paths: [String]

        @OptionGroup var location: Location

        func run() async throws {
            let store = try VulnerabilityStore(path: location.path)
            let importer = OSVImporter(store: store) { count in
                FileHandle.standardError.write(Data("imported \(count) records…\n".utf8))
            }
            let report = try importer.importPaths(paths)
            if report.rebuiltOutdated {
                print("the database was made by an older distill: it was rebuilt and holds only these sources now")
            }
            for source in report.sources {
                print(source.skipped
                    ? "\(source.key): unchanged (same bytes as the last import)"
                    : "\(source.key): \(source.added) added, \(source.changed) changed, \(source.removed) removed, \(source.unchanged) unchanged")
            }
            print("database \(store.path)")
        }
    }

    /// `distill db update`
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Download the ecosystems' all.zip from the OSV bucket and import what changed.")

        @Option(name: .long, help: "The bucket to download from (default: $DISTILL_OSV_URL, else \(DatabaseUpdater.defaultBaseURL)).")
        var baseURL = ProcessInfo.processInfo.environment["DISTILL_OSV_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? DatabaseUpdater.defaultBaseURL

        @Option(name: .long, help: "Comma-separated OSV ecosystems (default: \(DatabaseUpdater.defaultEcosystems.joined(separator: ","))).")
        var ecosystems = DatabaseUpdater.defaultEcosystems.joined(separator: ",")

        @OptionGroup var location: Location

        func run() async throws {
            let store = try VulnerabilityStore(path: location.path)
            var updater = DatabaseUpdater(baseURL: baseURL, ecosystems: ecosystems.split(separator: ",").map(String.init))
            updater.log = { print($0) }
            _ = try await updater.update(store)
            print("database \(store.path)")
        }
    }

    /// `distill db status`
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what the database holds: sources, counts, newest record.")

        @OptionGroup var location: Location

        func run() async throws {
            let store = try VulnerabilityStore(path: location.path, readOnly: true)
            print(try DatabaseStatus.render(store))
        }
    }
}
