#!/usr/bin/env python3
"""Writes monthly_report.pdf: a two-page report with a text layer (Helvetica), for the tests
of PDF articles. Run from this folder: python3 make_report_pdf.py"""

PAGES = [
    [
        "Northern Governorates Security Review, March 2025",
        "Published 2 April 2025 by the Field Monitoring Unit.",
        "This review summarises incidents recorded by field staff during the month.",
        "Overall, reported attacks fell compared with February.",
    ],
    [
        "Incidents of note",
        "On 14 March 2025, gunmen attacked a police patrol near Khanaqin in Diyala,",
        "killing two policemen and wounding one, according to local officials.",
        "Security forces later searched villages east of the town.",
    ],
]


def content(lines):
    ops = ["BT", "/F1 11 Tf", "14 TL", "60 780 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


objects = []
page_ids = [3 + 2 * i for i in range(len(PAGES))]
objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
kids = " ".join(f"{i} 0 R" for i in page_ids)
objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(PAGES)} >>".encode())
font_id = 3 + 2 * len(PAGES)
for i, lines in enumerate(PAGES):
    stream = content(lines)
    objects.append(
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {page_ids[i] + 1} 0 R "
        f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
    )
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")

out = bytearray(b"%PDF-1.4\n")
offsets = []
for n, body in enumerate(objects, start=1):
    offsets.append(len(out))
    out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
xref = len(out)
out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
for offset in offsets:
    out += f"{offset:010d} 00000 n \n".encode()
out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
with open("monthly_report.pdf", "wb") as f:
    f.write(out)
