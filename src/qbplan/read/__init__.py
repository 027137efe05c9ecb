"""Stage 1, reading: a file to the sheets it holds, refusing hostile files before any parser sees them."""
