#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the project's own samples and test files.

    python3 fuzz/seed.py            # into fuzz/corpus/<target>/

Packages are packed from each sample folder (as `.mez`, and as `.pqx` with the OPC parts),
M sources come from samples/ and tests/syntax/, documents from the samples' articles and
changelogs and tests/docs/. Seeds are named by content hash, so running it again adds nothing.
"""
import hashlib
import io
import pathlib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
CONTENT_TYPES = (b'<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="pq" ContentType="application/x-ms-m"/><Default Extension="pqm" ContentType="application/x-ms-m"/>'
                 b'<Default Extension="resx" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/></Types>')


def seed(target, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def pack(files, pqx=False):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
        if pqx:
            info = zipfile.ZipInfo("[Content_Types].xml", date_time=(2024, 1, 1, 0, 0, 0))
            archive.writestr(info, CONTENT_TYPES)
    return out.getvalue()


def main():
    for sample in sorted((ROOT / "samples").iterdir()):
        files = [(p.relative_to(sample).as_posix(), p.read_bytes())
                 for p in sorted(sample.rglob("*")) if p.is_file() and p.suffix in {".pq", ".pqm", ".m", ".resx", ".png"}]
        small = [(n, d) for n, d in files if not n.endswith(".png") or len(d) < 4096]
        seed("mez", pack(small))
        seed("pqx", pack(small, pqx=True))
        by_suffix = {pathlib.PurePath(n).suffix: d for n, d in small}
        section = next((d for n, d in small if n.endswith(".pq") and ".query." not in n), b"")
        module = by_suffix.get(".pqm", b"")
        resx = by_suffix.get(".resx", b"")
        seed("package", b"\x01" + b"\xff".join([section, module, resx, CONTENT_TYPES]))
        seed("package", b"\x02" + b"\xff".join([section, module, resx]))
        for name, data in small:
            if name.endswith((".pq", ".pqm", ".m")):
                seed("check_m", data)
        articles = [p.read_bytes() for p in sorted(sample.glob("*.md")) if "changelog" not in p.name.lower()]
        changelogs = [p.read_bytes() for p in sorted(sample.glob("*.md")) if "changelog" in p.name.lower()]
        for article in articles or [b""]:
            for changelog in changelogs or [b""]:
                if article or changelog:
                    seed("documents", article + b"\xff" + changelog)
    for path in sorted((ROOT / "tests" / "syntax").rglob("*.pq")):
        seed("check_m", path.read_bytes())
    docs = ROOT / "tests" / "docs"
    for article in sorted((docs / "articles").iterdir()):
        for changelog in sorted((docs / "changelogs").iterdir()):
            seed("documents", article.read_bytes() + b"\xff" + changelog.read_bytes())


if __name__ == "__main__":
    main()
