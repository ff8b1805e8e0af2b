"""`--dedupe`: hold results on disk until every letter is done, group mirror copies, then hand them on marked.

Grouping needs every letter's signature, so results are spooled to a temporary file (records are not
kept in memory; only the small ``dafu.dedupe.Member`` signatures are) and replayed in input order once
the last letter is in: a copy gets ``duplicate_of`` and a ``mirror_copy`` warning, and its metric rows
are left out of the CSVs; its record stays. The outputs are the same whatever the order results came in
and whatever ``--jobs``.
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator

__all__ = ["Spool", "mark"]


class Spool:
    """Results of one run on disk, with their grouping signatures in memory."""

    def __init__(self, record_path: Callable[[str], str] | None) -> None:
        self.file = tempfile.TemporaryFile(prefix="dafu-dedupe-")
        self.members: list = []
        self.record_path = record_path

    def add(self, res) -> None:
        """Keep a result (ok, or unchanged: its record file is read now) and its signature."""
        import orjson

        from dafu.dedupe import dict_member

        if res.status == "unchanged":
            data = res.json
            if data is None:  # the record file of the last run, read now
                with open(self.record_path(res.id), "rb") as fp:
                    data = fp.read().rstrip(b"\n")
                res = res._replace(json=data)
            member = dict_member(orjson.loads(data))
        else:
            member = res.dedupe
        self.members.append(member)
        pickle.dump(("res", res._replace(dedupe=None)), self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def hold_keep(self, id: str, failed: bool) -> None:
        """Hold the place of a last-run record kept in the CSVs (so rows stay in id order)."""
        pickle.dump(("keep", id, failed), self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def replay(self, want_rows: bool) -> Iterator[tuple]:
        """Yield, in the order held, ("keep", id, failed) or ("res", result marked or unmarked, whether its
        record changed, whether it is a copy)."""
        from dafu.dedupe import group

        copies = group(self.members)
        self.members = []
        self.file.seek(0)
        while True:
            try:
                entry = pickle.load(self.file)
            except EOFError:
                break
            if entry[0] == "keep":
                yield entry
                continue
            res = entry[1]
            copy = copies.get(res.id)
            yield "res", *mark(res, copy, want_rows), copy is not None
        self.file.close()

    def close(self) -> None:
        self.file.close()


def mark(res, copy, want_rows: bool):
    """Return (the result with its record marked as a copy of `copy.canonical` or unmarked, changed?)."""
    if res.status == "ok" and copy is None:
        return res, False  # a fresh record is unmarked already
    import orjson

    from dafu.codes import WarningCode
    from dafu.output import csv_rows_from_dict

    from .writers import csv_bytes

    record = orjson.loads(res.json)
    warnings = [w for w in record.get("warnings", []) if w.get("code") != WarningCode.MIRROR_COPY.value]
    record["duplicate_of"] = copy.canonical if copy else None
    if copy is not None:
        code = WarningCode.MIRROR_COPY
        warnings.insert(0, {"code": code.value, "message": code.template.format(canonical=copy.canonical, how=copy.how),
                            "span": None})
    record["warnings"] = warnings
    data = orjson.dumps(record)
    rows = [] if copy is not None else csv_rows_from_dict(record)
    csv = csv_bytes(rows) if (want_rows or res.status == "unchanged") and rows else (b"" if want_rows else None)
    return res._replace(json=data, csv=csv, metrics=len(rows) if copy is None else 0,
                        warnings=len(warnings), letter_csv=None), data != res.json
