#!/usr/bin/env bash
# Makes crates/pdf/fonts/NotoSansCJKsc-Regular-subset.otf: the Simplified Chinese face of Debian's
# fonts-noto-cjk, cut to what letters need (all of CJK Unified Ideographs U+4E00-9FFF, Hangul syllables
# and jamo, kana, CJK punctuation, full-width forms), so that the binary does not carry all 65,535 glyphs.
# Characters outside this set are shown as "�" in letters. Needs apt-get and pip (fonttools).
# Only the layout features horizontal text needs are kept (composition, marks, kerning, proportional
# punctuation): with all of them ('*') the locale and vertical alternates push the glyph count past
# 32,768, and Typst's shaping then draws no glyph numbered above that (2,703 ideographs were lost).
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/crates/pdf/fonts/NotoSansCJKsc-Regular-subset.otf"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download fonts-noto-cjk
dpkg-deb -x fonts-noto-cjk_*.deb x
python3 -m pip install --quiet fonttools
# Face 2 of the collection is "Noto Sans CJK SC".
pyftsubset x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --unicodes="U+3000-30FF,U+3130-318F,U+31F0-31FF,U+FF00-FFEF,U+4E00-9FFF,U+AC00-D7A3" \
  --layout-features='ccmp,kern,mark,mkmk,palt,halt' --name-IDs='*' --no-hinting --output-file="$out"
echo "wrote $out"
