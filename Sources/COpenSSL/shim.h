#ifndef FHIRGATE_COPENSSL_SHIM_H
#define FHIRGATE_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/bio.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/rand.h>

static inline long fg_bio_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
static inline void fg_openssl_free(void *p) { OPENSSL_free(p); }
#endif
