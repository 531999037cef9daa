#!/usr/bin/env python3
"""Builds the widget's CJK font: Noto Sans CJK SC cut down to the characters the panel can draw.

The panel only draws fixed text (its labels, the five levels, the reason catalogue, the shared
core's messages); names of items and units and everything typed live in the DOM, which has the
system's fonts. So the characters are collected from the source files holding that text, and the
subset stays around 15 KB gzipped instead of megabytes.

usage: make_font_subset.py PYFTSUBSET FONT.ttc FONT_NUMBER OUT.otf LICENSE_IN LICENSE_OUT SOURCE...
(pyftsubset is run as its own program: it is Debian's, tied to Debian's python3.)
"""
import pathlib
import re
import subprocess
import sys

SHOWN_ERROR_GROUPS = ("rating", "ticket", "server")


def main(argv):
    pyftsubset, font, number, out, licence_in, licence_out, *sources = argv[1:]
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= set("，。、：；！？（）《》“”‘’…—·")
    for src in sources:
        text = pathlib.Path(src).read_text(encoding="utf-8")
        if src.endswith("error.cpp"):
            # Only the messages the panel can show (a rating refused, a ticket unusable, the
            # server unavailable); calendar and case-file messages never reach a citizen.
            literals = [m for i, m in re.findall(r'Entry\{"([^"]+)",\s*"([^"]*)"', text)
                        if i.split(".")[0] in SHOWN_ERROR_GROUPS]
        else:
            literals = re.findall(r'"([^"\n]*)"', text)  # string literals (JSON values too)
        for lit in literals:
            chars |= {c for c in lit if ord(c) >= 0x80 and c.isprintable()}
    text = "".join(sorted(chars))
    subprocess.run([
        pyftsubset, font,
        f"--font-number={number}",
        f"--text={text}",
        f"--output-file={out}",
        "--layout-features=",   # stb_truetype shapes nothing: no GSUB/GPOS needed
        # nor does it read vertical metrics or these: drop them (0.6 KB gzipped)
        "--drop-tables+=GSUB,GPOS,GDEF,vhea,vmtx,VORG,DSIG,meta",
        "--no-hinting",
        "--desubroutinize",     # larger raw, smaller gzipped
        "--name-IDs=0,1,2,3,4,5,6",
        "--notdef-outline",
    ], check=True)
    # The SIL Open Font License travels with every copy of the font, modified or not.
    licence = pathlib.Path(licence_in).read_text(encoding="utf-8")
    pathlib.Path(licence_out).write_text(
        "The widget's font (hcp-widget-font.otf) is a subset of Noto Sans CJK SC (Regular),\n"
        "made at build time by widget/font/make_font_subset.py with fontTools' pyftsubset.\n"
        "Its licence, from Debian's fonts-noto-cjk package (/usr/share/doc/fonts-noto-cjk/copyright):\n\n"
        + licence, encoding="utf-8")
    print(f"font subset: {len(chars)} characters -> {out}")


if __name__ == "__main__":
    main(sys.argv)
