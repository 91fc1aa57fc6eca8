"""Local documents: parse a PDF, Word, HTML, Markdown or text file into a text of record (in a sandboxed
subprocess), keep it in the local corpus folder with its provenance, and update the index."""
