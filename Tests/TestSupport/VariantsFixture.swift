/// The three-variant build file (debian12/python3.11, debian13/python3.13, a debug one) that the variants test and
/// the variants benchmark both build against the frozen mirror (they add `mirror:`).
public enum VariantsFixture {
    public static let buildFile = """
        name: app
        base: python3
        archs: [amd64]
        suites: [bookworm]
        entrypoint: ["/usr/bin/python3"]
        variants:
          - name: py311
          - name: py313
            distro: debian13
            suites: [trixie]
          - name: debug
            debug: true

        """
}
