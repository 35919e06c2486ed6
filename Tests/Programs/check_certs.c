// The distroless static test's /check_certs: can a program use the image's CA bundle?
// Built statically (the static image has no libc): parses every certificate and loads the
// bundle into a TLS client context, as a Go program's system cert pool would.
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>

int main(void) {
    const char *bundle = "/etc/ssl/certs/ca-certificates.crt";
    FILE *file = fopen(bundle, "r");
    if (!file) { perror(bundle); return 1; }
    int count = 0;
    X509 *certificate;
    while ((certificate = PEM_read_X509(file, NULL, NULL, NULL)) != NULL) {
        count++;
        X509_free(certificate);
    }
    fclose(file);
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (!context || SSL_CTX_load_verify_locations(context, bundle, NULL) != 1) {
        fprintf(stderr, "cannot load %s into a TLS context\n", bundle);
        return 1;
    }
    if (count < 100) { fprintf(stderr, "only %d certificates in %s\n", count, bundle); return 1; }
    printf("%d certificates\n", count);
    return 0;
}
