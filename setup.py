"""The optional C accelerator of the byte-loss repair (issue 20); everything else is in pyproject.toml.

`optional=True`: without a C compiler the build goes on without it, and the repair runs its Python code, which
gives the same answers (tests/test_repair_fast.py). No floating-point contraction: every + and * rounds as in Python.
"""
import sys

from setuptools import Extension, setup

_ARGS = [] if sys.platform == "win32" else ["-O2", "-ffp-contract=off", "-fno-fast-math"]

setup(ext_modules=[Extension("dafu.normalize.repair._fast", ["core/normalize/repair/_fast.c"],
                             extra_compile_args=_ARGS, optional=True)])
