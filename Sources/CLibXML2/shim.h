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
/* The line and column of the '<' that starts the tag being reported to a SAX startElement
   callback (the parser then stands on the closing '>' or '/>' of that tag). Attribute values
   cannot hold a raw '<', so the nearest '<' before the cursor starts the tag. Falls back to the
   cursor position when the tag start is no longer in the buffer. */
static inline void fg_xml_tag_start(xmlParserCtxtPtr ctxt, int *line, int *col) {
    *line = 0; *col = 0;
    if (ctxt == NULL || ctxt->input == NULL) return;
    xmlParserInputPtr in = ctxt->input;
    *line = in->line; *col = in->col;
    if (in->base == NULL || in->cur == NULL || in->cur <= in->base) return;
    const xmlChar *p = in->cur;
    int newlines = 0;
    while (p > in->base) {
        p--;
        if (*p == '<') break;
        if (*p == '\n') newlines++;
    }
    if (*p != '<') return;
    if (newlines == 0) {
        int c = in->col - (int)(in->cur - p);
        if (c >= 1) *col = c;
        return;
    }
    const xmlChar *q = p;
    while (q > in->base && q[-1] != '\n') q--;
    *line = in->line - newlines;
    /* When earlier input was already discarded, the line start may be gone: column 1 then. */
    *col = (q == in->base && in->consumed > 0) ? 1 : (int)(p - q) + 1;
}

/* The current line and column of the parser. */
static inline void fg_xml_position(xmlParserCtxtPtr ctxt, int *line, int *col) {
    *line = 0; *col = 0;
    if (ctxt == NULL || ctxt->input == NULL) return;
    *line = ctxt->input->line; *col = ctxt->input->col;
}
#endif
