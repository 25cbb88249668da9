/*
 * bench/no-resume.c: an LD_PRELOAD shim that makes every TLS handshake of a client a full one.
 *
 * wrk ends a TLS connection with SSL_shutdown + SSL_clear and reuses the SSL object, which keeps
 * the session, so its next connection resumes it (an abbreviated handshake: no certificate, no
 * signature). The "tls_hs" scenario measures full handshakes, so this drops the session just
 * before a handshake starts. bench/run compiles it into its run directory and preloads it into
 * that one wrk only; the servers are not touched, so their resumption settings stay as shipped.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

typedef struct ssl_st SSL;
typedef struct ssl_session_st SSL_SESSION;

int SSL_in_before(const SSL *s);
int SSL_set_session(SSL *s, SSL_SESSION *session);

int SSL_connect(SSL *s) {
    static int (*real)(SSL *) = NULL;
    if (real == NULL) {
        real = (int (*)(SSL *)) dlsym(RTLD_NEXT, "SSL_connect");
    }
    /* only before the first flight: a non-blocking handshake calls SSL_connect again and again */
    if (SSL_in_before(s)) {
        SSL_set_session(s, NULL);
    }
    return real(s);
}
