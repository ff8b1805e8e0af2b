"""Validation reports for people and tools: the JSON report and JUnit XML (rendering, not checking)."""
from __future__ import annotations

import re
from typing import Any

from dafu.validate import Verdict, counts

__all__ = ["REPORT_SCHEMA", "report_dict", "junit_xml"]

REPORT_SCHEMA = "dafu.validation/1"
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def report_dict(verdicts: list[Verdict], *, rules: str | None = None, seconds: float | None = None) -> dict[str, Any]:
    """Return the JSON report: counts, the rules file used, one entry per input in order."""
    return {
        "schema": REPORT_SCHEMA,
        **counts(verdicts),
        "rules": rules,
        "seconds": seconds,
        "results": [
            {"id": _text(v.id), "path": _text(v.path), "status": v.status, "error": v.error,
             "problems": [{"rule": p.rule, "message": _text(p.message)} for p in v.problems]}
            for v in verdicts
        ],
    }


def junit_xml(verdicts: list[Verdict], *, seconds: float | None = None) -> bytes:
    """Return a JUnit XML report: one testsuite, one testcase per input, failures and errors."""
    import xml.etree.ElementTree as ET

    n = counts(verdicts)
    attrs = {"name": "dafu validate", "tests": str(n["letters"]), "failures": str(n["failed"]),
             "errors": str(n["errors"]), "skipped": "0", "time": f"{seconds or 0:.3f}"}
    root = ET.Element("testsuites", attrs)
    suite = ET.SubElement(root, "testsuite", attrs)
    for v in verdicts:
        case = ET.SubElement(suite, "testcase", {"classname": "dafu.validate", "name": _xml(v.id),
                                                "file": _xml(v.path)})
        if v.error is not None:
            ET.SubElement(case, "error", {"type": "unreadable", "message": _xml(v.error)}).text = _xml(v.error)
        elif v.problems:
            failure = ET.SubElement(case, "failure", {
                "type": v.problems[0].rule, "message": _xml("; ".join(p.message for p in v.problems))})
            failure.text = _xml("\n".join(f"{p.rule}: {p.message}" for p in v.problems))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _text(value: str) -> str:
    """Return a string that encodes as UTF-8 (lone surrogates from undecodable names become U+FFFD)."""
    return _SURROGATE.sub("\ufffd", value)


def _xml(value: str) -> str:
    """Return a string XML 1.0 can hold: characters it forbids (controls, surrogates) become U+FFFD.

    >>> _xml("a\\x00b\\udcb9")
    'a\\ufffdb\\ufffd'
    """
    return _NOT_XML.sub("\ufffd", value)
