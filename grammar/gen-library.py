#!/usr/bin/env python3
"""Generate grammar/library.tsv: the global names of the M standard library and the
Power Query SDK library, with their kind and parameter counts.

Source of facts: the JSON symbol libraries of https://github.com/microsoft/vscode-powerquery
(MIT licence). Only names, kinds and parameter counts are taken from them.

  STANDARD  server/src/library/standard/standard-enUs.json  at 6a43c83b7ab8adc6e03bdb82c647030ce2ed041f
            (blob 4085f9dc380ed8c6f121b18c0db7e0b5ca1adb3d; last changed in 51dd91670c11)
  SDK       server/src/library/sdk/sdk-enUs.json            at 6a43c83b7ab8adc6e03bdb82c647030ce2ed041f
            (blob a3adeff7bd736965e9b889f33a7e6b03c0035712; last changed in 51dd91670c11)
  FALLBACK  server/src/library/standard/standard-enUs.json  at afe2c22a15b26d07aa478b4d77ebdabc2796f723
            (blob 232d710ba22712b8b2d8fe99b1ee89847814de6c), the version before 51dd91670c11, which
            replaced a few signatures with placeholders (no parameters, return type `nullable none`).

Regenerate, from a clone of microsoft/vscode-powerquery in $PQ:

  git -C $PQ show 6a43c83b7ab8:server/src/library/standard/standard-enUs.json > standard.json
  git -C $PQ show 6a43c83b7ab8:server/src/library/sdk/sdk-enUs.json > sdk.json
  git -C $PQ show afe2c22a15b2:server/src/library/standard/standard-enUs.json > fallback.json
  python3 grammar/gen-library.py standard.json sdk.json --fallback fallback.json

Rules:
- every name of STANDARD and SDK; where both list a name, STANDARD's entry wins (a differing
  SDK entry is reported on standard error);
- kind from `completionItemKind` (LSP numbering): 3 Function and 4 Constructor -> function,
  13 Enum and 25 TypeParameter -> type, 20 EnumMember and 21 Constant -> constant;
- for functions, required/optional count `isRequired` true/false over `functionParameters`;
  a placeholder signature is taken from FALLBACK when it has a real one there, otherwise both
  counts are `?`. The sources mark nothing as variadic, so no `*` is emitted;
- names starting with `#` (#binary, #date, #datetime, #datetimezone, #duration, #table, #time)
  are left out: mezcheck's lexer reads them as keywords (intrinsics), not as library names;
- hand additions: none. Diagnostics.LogValue and Diagnostics.LogFailure are helpers a connector
  defines itself (from the samples' Diagnostics.pqm), and Extension.DataSource is not a library
  function, so listing them would hide real "undefined name" errors.

Output: UTF-8, LF line endings, sorted by name in byte order; deterministic.
"""

import argparse
import json
import os
import sys

KINDS = {3: "function", 4: "function", 13: "type", 25: "type", 20: "constant", 21: "constant"}

HEADER = (
    "# mezcheck M library: global names of the Power Query standard and SDK libraries"
    " (microsoft/vscode-powerquery @ 6a43c83b7ab8). Tab-separated columns: name, kind"
    " (function|constant|type), required and optional parameter counts ('-' for non-functions,"
    " '?' where the source gives no signature). Generated, do not edit: see grammar/gen-library.py"
    " for how to regenerate.\n"
)

# Hand additions: (name, kind, required, optional). Deliberately empty; see the docstring.
ADDED = []


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        symbols = json.load(f)
    out = {}
    for s in symbols:
        name = s["name"]
        if name in out:
            sys.exit(f"{path}: duplicate name {name}")
        out[name] = s
    return out


def is_placeholder(s):
    return s["functionParameters"] == [] and s.get("type") == "nullable none"


def row(s, fallback):
    name = s["name"]
    kind = KINDS.get(s["completionItemKind"])
    if kind is None:
        sys.exit(f"{name}: unknown completionItemKind {s['completionItemKind']}")
    if kind != "function":
        if s["functionParameters"]:
            sys.exit(f"{name}: a {kind} with parameters")
        return (name, kind, "-", "-")
    params = s["functionParameters"]
    if params is None:
        sys.exit(f"{name}: a function without functionParameters")
    if is_placeholder(s):
        old = fallback.get(name)
        if old is None or not old["functionParameters"] or is_placeholder(old):
            return (name, kind, "?", "?")
        params = old["functionParameters"]
    flags = [bool(p["isRequired"]) for p in params]
    if any(not a and b for a, b in zip(flags, flags[1:])):
        sys.exit(f"{name}: a required parameter after an optional one")
    required = sum(flags)
    return (name, kind, str(required), str(len(flags) - required))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("standard", help="standard-enUs.json")
    ap.add_argument("sdk", help="sdk-enUs.json")
    ap.add_argument("--fallback", help="older standard-enUs.json for placeholder signatures")
    ap.add_argument("-o", "--output", default=os.path.join(here, "library.tsv"))
    args = ap.parse_args()

    standard = load(args.standard)
    sdk = load(args.sdk)
    fallback = load(args.fallback) if args.fallback else {}

    rows = {}
    for source in (sdk, standard):  # standard last, so it wins
        for name, s in source.items():
            if name.startswith("#"):
                continue
            rows[name] = row(s, fallback)
    for name in sorted(set(standard) & set(sdk)):
        if not name.startswith("#") and row(sdk[name], fallback) != rows[name]:
            print(f"conflict: {name}: standard {rows[name]}, sdk {row(sdk[name], fallback)}", file=sys.stderr)
    for r in ADDED:
        if r[0] in rows:
            sys.exit(f"{r[0]}: hand addition already in the sources")
        rows[r[0]] = r

    lines = [HEADER]
    for name in sorted(rows, key=lambda n: n.encode("utf-8")):
        fields = rows[name]
        if any("\t" in f or "\n" in f for f in fields):
            sys.exit(f"{name}: tab or newline in a field")
        lines.append("\t".join(fields) + "\n")
    with open(args.output, "wb") as f:
        f.write("".join(lines).encode("utf-8"))


if __name__ == "__main__":
    main()
