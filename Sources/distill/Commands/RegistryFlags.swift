import ArgumentParser
import Foundation
import ImageTransport
import Registry

/// The registry flags of every command that reads or writes images: credentials, plain-http hosts, extra CAs.
struct RegistryFlags: ParsableArguments {
    @Option(name: .long, help: "The username for the registry the command writes to (or, when it writes to none, reads from); the password comes from --password-stdin.")
    var username: String?

    @Flag(name: .long, help: "Read the password (or token) for --username from standard input.")
    var passwordStdin = false

    @Option(name: .customLong("insecure-registry"), help: "Reach this registry (HOST or HOST:PORT) over plain http; repeatable. Every other registry is https only.")
    var insecureRegistry: [String] = []

    @Option(name: .customLong("ca-cert"), help: "Also trust this CA certificate (PEM file) for registries with a private CA; repeatable.")
    var caCert: [String] = []

    func validate() throws {
        if passwordStdin && username == nil { throw ValidationError("--password-stdin needs --username") }
        if username != nil && !passwordStdin { throw ValidationError("--username needs --password-stdin (the password is read from standard input, never from the command line)") }
        for host in insecureRegistry where (try? RegistryReference(registry: host, repository: "x")) == nil {
            throw ValidationError("--insecure-registry '\(host)' is not a HOST or HOST:PORT")
        }
    }

    /// Installs the registry transport with these flags; explicit credentials are for `credentialsFor`'s registry.
    func install(credentialsFor reference: ImageReference?) throws {
        var explicit: [String: RegistryCredentials] = [:]
        if let username {
            guard case .registry(let target)? = reference else {
                throw ValidationError("--username is for a registry, but the command names none")
            }
            explicit[target.registry] = RegistryCredentials(username: username, secret: try Self.readPassword(), source: "--username \(username)")
        }
        for file in caCert {
            guard let pem = FileManager.default.contents(atPath: file) else {
                throw RegistryError.invalidOption("--ca-cert \(file): the file cannot be read")
            }
            guard String(decoding: pem, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
                throw RegistryError.invalidOption("--ca-cert \(file): no PEM certificate in it (-----BEGIN CERTIFICATE-----)")
            }
        }
        RegistryOpener.install(
            options: RegistryOptions(
                insecureHosts: Set(insecureRegistry), caCertificateFiles: caCert, credentials: RegistryCredentialStore(explicit: explicit),
                blobLocations: .standard()))
    }

    /// Standard input up to its end, without the line break a shell's echo adds.
    private static func readPassword() throws -> String {
        var text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        if text.isEmpty { throw ValidationError("--password-stdin: standard input is empty; pipe the password in, e.g. echo \"$TOKEN\" | distill push --username NAME --password-stdin …") }
        return text
    }
}

extension ImageReference {
    /// Whether this names a registry.
    var isRegistry: Bool {
        if case .registry = self { return true }
        return false
    }
}
