"""Text on paper in any script: fonts, script runs and line breaks, shared by receipts and reports.

A piece of text is split into runs, each set in a font that has its glyphs (Latin, Khmer,
Chinese, a wide fallback); lines break where ICU's dictionary-based line breaker allows
(never inside a Khmer word, never before closing punctuation), and Chinese only between
words. `fonts`, `runs` and `lines` are plain Python plus font files; `pdf` (ReportLab) and
`picture` (Pillow) draw the runs, so importing this package costs nothing.
"""
