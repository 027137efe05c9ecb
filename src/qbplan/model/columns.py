"""The columns qbplan keeps beside a form's own in a frame of valid rows.

A form key starts with a letter (``config.targets.KEY_PATTERN``), so these never clash.
"""

ROW = "__row"  # the Excel row number, from 1
FILE = "__file"  # the input file, once rows are merged across files
SHEET = "__sheet"  # the sheet, as it is named in the workbook
HOLDER = "__holder"  # while merging: the position of the (file, sheet) a row came from
