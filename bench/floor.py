"""The floor of DESIGN §7: read each letter, decode it, OpenCC t2s, write the text as JSON with orjson.

Nothing else: no normalization, no segmentation, no extraction, no atomic writes. One process, the
same folder layout in and out as `dafu convert DIR -o OUT` (OUT/letters/<id>.json).

    python bench/floor.py bench/corpus/n10000-s0 -o bench/out/floor
"""
from __future__ import annotations

import argparse
import os
import sys


def _decode(data: bytes) -> str:
    """Return the text: UTF-8 (BOM dropped), else GB18030, else UTF-8 with replacement characters."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            return data.decode("utf-8", "replace")


def _letters(folder: str):
    """Yield (id, path) of every .txt under folder, sorted; id as dafu makes it (sub/name -> sub__name)."""
    found = []
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            if name.endswith(".txt"):
                path = os.path.join(top, name)
                found.append((os.path.relpath(path, folder)[:-4].replace(os.sep, "__"), path))
    return sorted(found)


def run(folder: str, out: str) -> tuple[int, int]:
    """Convert every letter of folder into out/letters/<id>.json; return (letters, input bytes)."""
    import opencc
    import orjson

    t2s = opencc.OpenCC("t2s")
    target = os.path.join(out, "letters")
    os.makedirs(target, exist_ok=True)
    count = size = 0
    for id, path in _letters(folder):
        with open(path, "rb") as fp:
            data = fp.read()
        text = t2s.convert(_decode(data).replace("\r\n", "\n"))
        with open(os.path.join(target, id + ".json"), "wb") as fp:
            fp.write(orjson.dumps({"id": id, "text": text}))
        count += 1
        size += len(data)
    return count, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    count, size = run(args.folder, args.output)
    print(f"floor: {count} letters, {size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
