"""Roadmap documents: plans as published (.docx, .xlsx, tab-separated text copied out of a Word
table) read into roadmap rows, and the year-end report written as a Word document.

Reading runs in three steps: a reader (`docx_reader`, `xlsx_reader`, `tab_separated`) turns a
file into a `SourceDocument` (paragraphs and table rows, each with its place); `roadmap` and
`numbering` (pure) turn that into an `ImportedPlan`; `tab` (pure) lays it out as the roadmap tab.
python-docx is used here only.
"""
