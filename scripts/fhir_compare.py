#!/usr/bin/env python3
"""Compares two FHIR documents for the round-trip checks of scripts/run.sh.

  fhir_compare.py json A.json B.json   same JSON content: object keys in any order, arrays in
                                       order, numbers compared by their exact lexeme (1.10 != 1.1),
                                       strings exactly (the XHTML `div` too).
  fhir_compare.py json-xhtml A B       the same, but XHTML `div` strings compared as XML (for a JSON
                                       file against the JSON made from its XML twin).
  fhir_compare.py xml A.xml B.xml      same XML content: names, namespaces, attributes, child order,
                                       text with surrounding whitespace ignored.

Exit 0 when equal, 1 when different (the first difference is printed as a path, without values),
2 when a file cannot be read or parsed.
"""

import json
import sys
import xml.etree.ElementTree as ET


class Lexeme(str):
    """A JSON number kept as its source text."""


class Different(Exception):
    pass


def load_json(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"), parse_float=Lexeme, parse_int=Lexeme)


def kind(value):
    if isinstance(value, Lexeme):
        return "number"
    for name, t in (("string", str), ("boolean", bool), ("object", dict), ("array", list)):
        if isinstance(value, t):
            return name
    return "null" if value is None else type(value).__name__


def compare_json(a, b, path, xhtml_as_xml=False):
    if kind(a) != kind(b):
        raise Different("%s: %s vs %s" % (path, kind(a), kind(b)))
    if isinstance(a, dict):
        for key in a:
            if key not in b:
                raise Different("%s.%s: missing in the second" % (path, key))
        for key in b:
            if key not in a:
                raise Different("%s.%s: missing in the first" % (path, key))
        for key in a:
            both_text = isinstance(a[key], str) and isinstance(b[key], str)
            if xhtml_as_xml and key == "div" and both_text and a[key] != b[key]:
                compare_xml_text(a[key], b[key], "%s.div" % path)
            else:
                compare_json(a[key], b[key], "%s.%s" % (path, key), xhtml_as_xml)
    elif isinstance(a, list):
        if len(a) != len(b):
            raise Different("%s: %d vs %d items" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            compare_json(x, y, "%s[%d]" % (path, i), xhtml_as_xml)
    elif a != b:
        raise Different("%s: different %s values" % (path, kind(a)))


def norm_text(text):
    return (text or "").strip()


def local(tag):
    return tag.split("}")[-1]


def compare_elements(a, b, here):
    if a.tag != b.tag:
        raise Different("%s: element names or namespaces differ" % here)
    if a.attrib != b.attrib:
        names = sorted(set(a.attrib) ^ set(b.attrib)) or sorted(k for k in a.attrib if a.attrib[k] != b.attrib.get(k))
        raise Different("%s: attributes differ (%s)" % (here, ", ".join(local(n) for n in names)))
    if norm_text(a.text) != norm_text(b.text):
        raise Different("%s: text differs" % here)
    if norm_text(a.tail) != norm_text(b.tail):
        raise Different("%s: text after the element differs" % here)
    ca, cb = list(a), list(b)
    if len(ca) != len(cb):
        raise Different("%s: %d vs %d child elements" % (here, len(ca), len(cb)))
    for i, (x, y) in enumerate(zip(ca, cb)):
        compare_elements(x, y, "%s/%s[%d]" % (here, local(x.tag), i))


def compare_xml_text(a, b, path):
    try:
        ra, rb = ET.fromstring(a), ET.fromstring(b)
    except ET.ParseError:
        raise Different("%s: different text (not comparable as XML)" % path)
    compare_elements(ra, rb, "%s/%s" % (path, local(ra.tag)))


def main(argv):
    if len(argv) != 3 or argv[0] not in ("json", "json-xhtml", "xml"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, first, second = argv
    try:
        if mode != "xml":
            a, b = load_json(first), load_json(second)
        else:
            a, b = ET.parse(first).getroot(), ET.parse(second).getroot()
    except (OSError, ValueError, ET.ParseError) as exc:
        print("cannot read: %s" % type(exc).__name__, file=sys.stderr)
        return 2
    try:
        if mode != "xml":
            root = a.get("resourceType", "$") if isinstance(a, dict) else "$"
            compare_json(a, b, str(root), xhtml_as_xml=(mode == "json-xhtml"))
        else:
            compare_elements(a, b, "/" + local(a.tag))
    except Different as diff:
        print("differs at %s" % diff)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
