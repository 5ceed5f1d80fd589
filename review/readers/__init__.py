"""Import readers, one module per file format; `registry` lists them in detection order."""
