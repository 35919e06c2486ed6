import Registry
import Testing

@Suite struct ChallengeTests {
    @Test func bearer_with_scope_holding_commas() {
        let field = #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull,push""#
        let challenges = AuthChallenge.parse(field)
        #expect(challenges.count == 1)
        #expect(challenges[0].scheme == "bearer")
        #expect(challenges[0].realm == "https://auth.docker.io/token")
        #expect(challenges[0].parameters["service"] == "registry.docker.io")
        #expect(challenges[0].parameters["scope"] == "repository:library/python:pull,push")
    }

    @Test func basic_and_case_and_spaces() {
        let challenges = AuthChallenge.parse(#"BASIC  Realm = "Registry Realm" "#)
        #expect(challenges == [AuthChallenge(scheme: "basic", parameters: ["realm": "Registry Realm"])])
    }

    @Test func several_challenges_in_one_field_and_unquoted_values() {
        let challenges = AuthChallenge.parse(#"Basic realm="r1", Bearer realm=https://auth.example/token, service=reg, error="insufficient_scope""#)
        #expect(challenges.map(\.scheme) == ["basic", "bearer"])
        #expect(challenges[1].realm == "https://auth.example/token")
        #expect(challenges[1].parameters["service"] == "reg")
        #expect(challenges[1].parameters["error"] == "insufficient_scope")
    }

    @Test func escaped_quotes_and_several_fields() {
        let challenges = AuthChallenge.parse([#"Bearer realm="a\"b""#, "Basic"])
        #expect(challenges.count == 2)
        #expect(challenges[0].realm == #"a"b"#)
        #expect(challenges[1] == AuthChallenge(scheme: "basic"))
    }

    @Test(arguments: ["", ",,,", "  ", "=\"x\"", "Bearer realm=\"unterminated"])
    func malformed_fields_do_not_trap(_ field: String) {
        let challenges = AuthChallenge.parse(field)
        #expect(challenges.allSatisfy { !$0.scheme.isEmpty })
    }
}
