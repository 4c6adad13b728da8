#ifndef FHIRGATE_CZLIB_SHIM_H
#define FHIRGATE_CZLIB_SHIM_H
#include <zlib.h>
/* inflateInit2 is a macro: wrap it. windowBits 15+32 accepts gzip and zlib headers. */
static inline int fg_inflate_init_gzip(z_streamp s) { return inflateInit2(s, 15 + 32); }
#endif
