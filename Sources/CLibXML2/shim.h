#ifndef FHIRGATE_CLIBXML2_SHIM_H
#define FHIRGATE_CLIBXML2_SHIM_H
/* Debian builds libxml2 with ICU; its ICU types clash with Foundation's copy in Swift.
   FHIRGate needs no ICU encoding support from libxml2, so hide it before the headers. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlerror.h>

/* xmlFree is a macro-like global function pointer: call it through a real function. */
static inline void fg_xml_free(void *p) { xmlFree(p); }

/* A deny-all external entity loader: FHIR XML never needs external entities or DTDs. */
static inline xmlParserInputPtr fg_xml_deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    (void)url; (void)id; (void)ctxt;
    return NULL;
}
static inline void fg_xml_install_deny_loader(void) { xmlSetExternalEntityLoader(fg_xml_deny_loader); }
#endif
