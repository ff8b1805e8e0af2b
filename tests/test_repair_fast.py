"""The repair's optional C accelerator (core/normalize/repair/_fast.c) gives the Python code's answers, byte for byte.

Both ways run in child processes (DAFU_PURE=1 forces the Python code) over the seed vectors, the clean negatives,
the samples, and damaged letters and snippets of bench/holdout (bench/repair_identical.py's inputs, a share of
them): the whole repair_byte_loss tuples must be equal. The accelerated side is skipped only when the extension
was not built (no C compiler at install); in CI (CI=true) a missing extension fails instead.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, sys
sys.path[:0] = [sys.argv[1] + "/bench", sys.argv[1] + "/tests"]
from repair_identical import inputs
from dafu.normalize.repair import repair_byte_loss
from dafu.normalize.repair.accel import FAST
items = inputs(1)
every = int(sys.argv[2])
items = ([(k, t) for k, t in items if not k.startswith(("holdout/", "snippet/"))]
         + [(k, t) for k, t in items if k.startswith("holdout/")][::2 * every]
         + [(k, t) for k, t in items if k.startswith("snippet/")][::every])
print(json.dumps({"fast": FAST is not None, "out": {k: repr(repair_byte_loss(t)) for k, t in items}}))
"""


def _run(pure: bool, every: int = 6) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DAFU_PURE"}
    if pure:
        env["DAFU_PURE"] = "1"
    out = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), str(every)], capture_output=True, text=True,
                         env=env, check=True).stdout
    return json.loads(out)


def test_accelerated_and_pure_repairs_are_identical():
    fast, pure = _run(False), _run(True)
    assert pure["fast"] is False  # DAFU_PURE=1 runs the Python code
    if not fast["fast"]:
        if os.environ.get("CI"):
            pytest.fail("the C accelerator was not built (CI installs with a compiler: it must be)")
        pytest.skip("the C accelerator is not built (no compiler at install): only the Python code runs")
    assert len(pure["out"]) > 150
    diff = [k for k in pure["out"] if fast["out"][k] != pure["out"][k]]
    assert diff == []
    assert sum("Repair(" in v for v in pure["out"].values()) > 100  # the inputs are repaired, not passed through


@pytest.mark.parametrize("s, close", [("就业", "服务"), ("社会保", "险费"), ("技工院", "校\n"), ("2019", "年6"),
                                      ("参", "保人"), ("", "ab"), ("人社", "1a"), ("\n", "，在")])
def test_close_plan_in_c_is_the_python_plan(s, close):
    """fastrows.close_plan's plan in C is the one _close_step gives, character by character (letter words too)."""
    from dafu.normalize.repair.accel import FAST
    if FAST is None:
        pytest.skip("the C accelerator is not built")
    from dafu.normalize.repair import fastrows
    from dafu.normalize.repair.gbk import gbk
    from dafu.normalize.repair.lm import Scorer
    from dafu.normalize.repair.slots import _shared_slot
    sc = Scorer("技工院校的就业服务和社会保险费，人社部门参保人员参保人员就业服务")
    g = gbk()
    for lead in (0xB7, 0xBD, 0xC9, 0xD1):
        info = _shared_slot(tuple(g.by_lead[lead]) + ("年", "１", "，"))
        plan = fastrows.close_plan(sc, info, s, close)
        assert plan == [fastrows._close_step(sc, info, s, close, k) for k in range(len(close))]


@pytest.mark.parametrize("lead, nxt", [(0xBE, "业务"), (0xCD, "工作人员"), (0xB7, "务"), (0xD6, "，。"), (0xB9, "ぁ")])
def test_lookahead_row_in_c_is_the_python_row(lead, nxt):
    """ahead._ahead_row's C row is _lookahead's, candidate by candidate (None when every value is 0)."""
    from dafu.normalize.repair.accel import FAST
    if FAST is None:
        pytest.skip("the C accelerator is not built")
    from dafu.normalize.repair import ahead
    from dafu.normalize.repair.gbk import gbk
    from dafu.normalize.repair.slots import _shared_slot
    info = _shared_slot(tuple(gbk().by_lead[lead]))
    got = ahead._ahead_row(None, info, list(nxt))
    want = ahead._lookahead(list(info.key), list(nxt))
    assert got == ([want.get(c, 0.0) for c in info.key] if want else None)
