"""Files: which input files a run checks, and writing report files safely."""
