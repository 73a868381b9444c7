#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the project's own samples and test files.

    python3 fuzz/seed.py            # into fuzz/corpus/<target>/

Packages are packed from each sample folder (as `.mez`, and as `.pqx` with the OPC parts),
M sources come from samples/ and tests/syntax/, documents from the samples' articles and
changelogs and tests/docs/. Seeds are named by content hash, so running it again adds nothing.
"""
import base64
import hashlib
import io
import pathlib
import re
import subprocess
import tempfile
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


# The `signature` target's content parts (mezcheck::testing::fuzz::SIGNED_PARTS).
SIGNED_PARTS = [("Fuzz.pq", b"section Fuzz;\r\nshared Fuzz.Value = 1;\r\n", "application/x-ms-m"),
                ("Fuzz16.png", b"\x89PNG\r\n\x1a\nfuzz", "image/png")]
DSIG = "http://www.w3.org/2000/09/xmldsig#"


def canonical(fragment):
    """C14N of a fragment written as `sign` writes it (attributes already in order): the
    XML-DSig default namespace on its root, empty elements expanded."""
    out = re.sub(r"^<(\w+)", r'<\1 xmlns="' + DSIG + '"', fragment, count=1)
    out = re.sub(r'<Reference (URI="[^"]*") (Type="[^"]*")>', r"<Reference \2 \1>", out)
    return re.sub(r"<(\w+)([^<>]*?) />", r"<\1\2></\1>", out).encode()


def signature_seeds():
    """MakePQX-shaped signatures over SIGNED_PARTS: a valid one (signed with a key openssl
    makes, when openssl is present), one with SHA-256, and structural variants."""
    refs = "".join(
        f'<Reference URI="/{name}?ContentType={ctype}"><DigestMethod Algorithm="{DSIG}sha1" />'
        f"<DigestValue>{base64.b64encode(hashlib.sha1(data).digest()).decode()}</DigestValue></Reference>"
        for name, data, ctype in SIGNED_PARTS)
    obj = ('<Object Id="idPackageObject"><Manifest>' + refs + '</Manifest><SignatureProperties>'
           '<SignatureProperty Id="idSignatureTime" Target="#SignatureIdValue"><SignatureTime '
           'xmlns="http://schemas.openxmlformats.org/package/2006/digital-signature"><Format>'
           'YYYY-MM-DDThh:mm:ss.sTZD</Format><Value>2030-01-01T12:00:00.0+02:00</Value>'
           '</SignatureTime></SignatureProperty></SignatureProperties></Object>')
    digest = base64.b64encode(hashlib.sha1(canonical(obj)).digest()).decode()
    signed_info = ('<SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315" />'
                   f'<SignatureMethod Algorithm="{DSIG}rsa-sha1" /><Reference URI="#idPackageObject" '
                   f'Type="{DSIG}Object"><DigestMethod Algorithm="{DSIG}sha1" /><DigestValue>{digest}'
                   '</DigestValue></Reference></SignedInfo>')
    value, cert = "AAAA", "AAAA"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem",
                            "-out", "c.pem", "-days", "3650", "-subj", "/CN=fuzz", "-outform", "PEM"],
                           cwd=tmp, check=True, capture_output=True)
            (pathlib.Path(tmp) / "si").write_bytes(canonical(signed_info))
            signed = subprocess.run(["openssl", "dgst", "-sha1", "-sign", "k.pem", "si"], cwd=tmp,
                                    check=True, capture_output=True).stdout
            value = base64.b64encode(signed).decode()
            der = subprocess.run(["openssl", "x509", "-in", "c.pem", "-outform", "DER"], cwd=tmp,
                                 check=True, capture_output=True).stdout
            cert = base64.b64encode(der).decode()
    except (OSError, subprocess.CalledProcessError):
        pass
    signature = ('\ufeff<?xml version="1.0" encoding="utf-8" standalone="yes"?><Signature Id="SignatureIdValue" '
                 f'xmlns="{DSIG}">{signed_info}<SignatureValue>{value}</SignatureValue><KeyInfo><KeyName>CN=fuzz'
                 f'</KeyName><X509Data><X509Certificate>{cert}</X509Certificate></X509Data></KeyInfo>{obj}</Signature>')
    seed("signature", signature.encode())
    seed("signature", signature.replace("2000/09/xmldsig#sha1", "2001/04/xmlenc#sha256").encode())
    seed("signature", signature.replace("<Transforms/>", "").replace("<DigestMethod", "<Transforms><Transform Algorithm="
                                   '"http://schemas.openxmlformats.org/package/2006/RelationshipTransform"/></Transforms><DigestMethod', 1).encode())
    seed("signature", signature.encode() + b"\xff" + b"<Relationships/>" + b"\xff" + b"<Relationships/>")
    seed("signature", b"<Signature xmlns=\"" + DSIG.encode() + b"\"><SignedInfo/></Signature>")


def main():
    signature_seeds()
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
