"""Stage 2, layout: a sheet's grid to its header, data rows, layout rows and totals."""
