"""The register of reporting units (danh mục đơn vị báo cáo): who must report.

:mod:`qbplan.register.load` reads a register (a workbook in the form's own
layout, or one CSV per sheet) with the same reader and layout rules as a
submission; :mod:`qbplan.register.match` sets the submitted rows against it:
units that did not report, units the register does not know, identifying
columns that disagree. The indicators then count a missing unit as unknown.
"""
