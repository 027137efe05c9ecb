"""User-facing text: Vietnamese by default, English with ``--lang en``.

Every finding and error code has one entry here, in both languages. Tests check
that the two catalogues have the same codes and placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.results.findings import Finding, Scalar

# The administrative documents qbplan writes, the survey form and a report's
# annex, are in Vietnamese whatever --lang says (see ``form.*``, ``doc.*`` and
# ``annex.*`` below): agencies fill in the form, provinces file the annex.
DOCUMENT_LANG = "vi"

MESSAGES: dict[str, dict[str, str]] = {
    # --- cell findings (errors) -------------------------------------------
    "required": {
        "vi": "Thiếu giá trị bắt buộc ở cột '{label}'",
        "en": "Missing required value in column '{label}'",
    },
    "not-a-number": {
        "vi": "'{value}' không phải số nguyên ở cột '{label}'",
        "en": "'{value}' is not a whole number in column '{label}'",
    },
    "not-whole": {
        "vi": "{value} không phải số nguyên ở cột '{label}'",
        "en": "{value} is not a whole number in column '{label}'",
    },
    "negative": {
        "vi": "{value} là số âm ở cột '{label}'; số liệu phải ≥ 0",
        "en": "{value} is negative in column '{label}'; counts must be ≥ 0",
    },
    "invalid-yesno": {
        "vi": "'{value}' không hợp lệ ở cột '{label}'; ghi Có hoặc Không",
        "en": "'{value}' is not valid in column '{label}'; write Có (yes) or Không (no)",
    },
    "invalid-enum": {
        "vi": "'{value}' không hợp lệ ở cột '{label}'; giá trị cho phép: {allowed}",
        "en": "'{value}' is not valid in column '{label}'; allowed: {allowed}",
    },
    "excel-error": {
        "vi": "Ô chứa lỗi Excel {detail} ở cột '{label}'",
        "en": "The cell holds the Excel error {detail} in column '{label}'",
    },
    "formula-no-value": {
        "vi": "Công thức {detail} ở cột '{label}' chưa có giá trị đã tính; mở tệp bằng Excel và lưu lại",
        "en": "The formula {detail} in column '{label}' has no saved value; open the file in Excel and save it",
    },
    "exceeds-total": {
        "vi": "{value} ở cột '{label}' lớn hơn {of} ({limit})",
        "en": "{value} in column '{label}' exceeds {of} ({limit})",
    },
    "inconsistent": {
        "vi": "'{value}' ở cột '{label}' trái quy tắc {rule}; dòng này không được tính",
        "en": "'{value}' in column '{label}' breaks the rule {rule}; this row is not counted",
    },
    "duplicate-key": {
        "vi": "Mã '{value}' ở cột '{label}' bị trùng với ô {first}; dòng này không được tính",
        "en": "The code '{value}' in column '{label}' repeats cell {first}; this row is not counted",
    },
    # --- the register of reporting units -----------------------------------
    "not-in-register": {
        "vi": "Mã '{value}' ở cột '{label}' không có trong danh mục đơn vị báo cáo; dòng này không được tính",
        "en": "The code '{value}' in column '{label}' is not in the register of reporting units; "
        "this row is not counted",
    },
    "register-mismatch": {
        "vi": "'{value}' ở cột '{label}' khác danh mục đơn vị báo cáo: đơn vị mã {key} ghi '{expected}' "
        "(dòng {register_row} của danh mục); dòng này không được tính",
        "en": "'{value}' in column '{label}' disagrees with the register of reporting units: the unit {key} "
        "has '{expected}' (register row {register_row}); this row is not counted",
    },
    "register-invalid": {
        "vi": "danh mục đơn vị báo cáo {file} không dùng được",
        "en": "the register of reporting units {file} cannot be used",
    },
    "register-unknown-sheet": {
        "vi": "trang '{sheet}' không phải trang nào của danh mục. Các trang của danh mục: {expected}",
        "en": "the sheet '{sheet}' is none of the register's sheets. The register's sheets: {expected}",
    },
    "register-no-sheet": {
        "vi": "không có trang nào của danh mục. Cần: {expected}. Tìm thấy: {found}",
        "en": "none of the register's sheets. Expected: {expected}. Found: {found}",
    },
    "register-sheet-twice": {
        "vi": "danh mục của biểu '{form_sheet}' đã có ở {first}",
        "en": "the register of the form sheet '{form_sheet}' was already given in {first}",
    },
    "register-empty-folder": {
        "vi": "thư mục không có tệp .csv, .xlsx, .xlsm, .xlsb, .xls hay .ods nào",
        "en": "the folder holds no .csv, .xlsx, .xlsm, .xlsb, .xls or .ods file",
    },
    "register-too-large": {
        "vi": "tệp CSV lớn hơn {limit} byte; danh mục đơn vị không lớn như vậy",
        "en": "the CSV file is larger than {limit} bytes; no register of units is that large",
    },
    "register-csv-encoding": {
        "vi": "tệp CSV không phải UTF-8 (dòng {line}); lưu lại bằng 'CSV UTF-8'",
        "en": "the CSV file is not UTF-8 (line {line}); save it again as 'CSV UTF-8'",
    },
    "register-csv-broken": {
        "vi": "tệp CSV hỏng ở dòng {line}: {detail}",
        "en": "the CSV file is broken at line {line}: {detail}",
    },
    "register-duplicate-key": {
        "vi": "mã '{value}' ở cột '{label}' lặp lại ô {first}; mỗi đơn vị chỉ ghi một lần trong danh mục",
        "en": "the code '{value}' in column '{label}' repeats cell {first}; list each unit once in a register",
    },
    "register-inconsistent": {
        "vi": "'{value}' ở cột '{label}' trái quy tắc {rule}",
        "en": "'{value}' in column '{label}' breaks the rule {rule}",
    },
    # --- warnings -----------------------------------------------------------
    "groups-kept-apart": {
        "vi": "Các nhóm trùng tên nhưng khác đơn vị hành chính được tách riêng: {names}",
        "en": "Groups with one name but different unit words are kept apart: {names}",
    },
    "targets-local": {
        "vi": "Dùng tệp chỉ tiêu {file} (kế hoạch {plan}) ở thư mục hiện tại, khác bản kèm theo qbplan; "
        "chỉ ra bằng --targets nếu đúng là tệp này",
        "en": "Using the targets file {file} (plan {plan}) from the current folder, which differs from the one "
        "bundled with qbplan; name it with --targets if it is the right one",
    },
    "annex-wrong-rate": {
        "vi": "Chỉ tiêu {indicator}: phụ lục ghi thực hiện {claimed}, số liệu cho {computed}",
        "en": "Indicator {indicator}: the annex claims {claimed}, the data gives {computed}",
    },
    "annex-wrong-verdict": {
        "vi": "Chỉ tiêu {indicator}: phụ lục đánh giá '{said}', nhưng theo số liệu là {status}",
        "en": "Indicator {indicator}: the annex says '{said}', but the data says {status}",
    },
    "annex-unknown-indicator": {
        "vi": "Dòng '{title}' của phụ lục không khớp chỉ tiêu nào trong tệp chỉ tiêu",
        "en": "The annex row '{title}' matches no indicator of the targets file",
    },
    "sheet-missing": {
        "vi": "Chỉ tiêu {indicator}: không có trang '{sheet}' trong tệp nào; chưa có số liệu",
        "en": "Indicator {indicator}: no input has the sheet '{sheet}'; no data",
    },
    "no-data": {
        "vi": "Chỉ tiêu {indicator}: mẫu số bằng 0 trong phạm vi tính; chưa có số liệu",
        "en": "Indicator {indicator}: the denominator is 0 over its scope; no data",
    },
    "sheet-hidden": {
        "vi": "Trang '{sheet}' đang bị ẩn nhưng vẫn được đọc và tính",
        "en": "The sheet '{sheet}' is hidden; it is still read and counted",
    },
    "sheet-duplicate": {
        "vi": "Trang '{sheet}' trùng biểu '{form_sheet}' đã đọc ở trang '{first}'; bỏ qua trang này",
        "en": "The sheet '{sheet}' repeats the form sheet '{form_sheet}' already read from '{first}'; it is skipped",
    },
    "rows-hidden": {
        "vi": "Trang '{sheet}' có {count} dòng số liệu bị ẩn ({rows}); các dòng này vẫn được đọc và tính",
        "en": "The sheet '{sheet}' has {count} hidden data rows ({rows}); they are still read and counted",
    },
    "probe-skipped": {
        "vi": "Không kiểm tra được các ô lỗi Excel (#DIV/0!, #REF!…) và công thức chưa tính trong tệp này "
        "({detail}); số liệu vẫn được đọc và tính",
        "en": "The check for Excel error cells (#DIV/0!, #REF! …) and unsaved formulas could not run on this file "
        "({detail}); the data is still read and counted",
    },
    "totals-mismatch": {
        "vi": "Dòng '{label}' ghi {stated} ở cột '{column_label}', nhưng cộng các dòng {scope} được {computed}",
        "en": "The row '{label}' states {stated} in column '{column_label}', but the rows {scope} add up to {computed}",
    },
    "totals-mismatch-text": {
        "vi": "Dòng '{label}' ghi {stated} ở cột '{column_label}', nhưng cộng các dòng {scope} được {computed}; "
        "chênh lệch đúng bằng các số nhập dạng chữ ở ô {cells} (hàm SUM bỏ qua số dạng chữ)",
        "en": "The row '{label}' states {stated} in column '{column_label}', but the rows {scope} add up to "
        "{computed}; the difference is exactly the numbers typed as text in {cells} (SUM skips text)",
    },
    "findings-capped": {
        "vi": "… và {extra} lỗi '{code}' khác trong trang này "
        "(chỉ liệt kê {shown} lỗi đầu; số dòng bị loại vẫn tính đủ)",
        "en": "… and {extra} more '{code}' findings in this sheet (only the first {shown} are listed; "
        "the rows left out are all counted)",
    },
    "file-repeats-file": {
        "vi": "Tệp này lặp lại toàn bộ {count} dòng của trang '{sheet}' đã có trong {first}; không tính lần nữa",
        "en": "This file repeats all {count} rows of the sheet '{sheet}' already given in {first}; not counted again",
    },
    "duplicate-across-files": {
        "vi": "Mã '{value}' ở cột '{label}' đã có trong {first}; dòng này không được tính lần nữa",
        "en": "The code '{value}' in column '{label}' was already given in {first}; this row is not counted again",
    },
    # --- files that cannot be used (exit 2) ---------------------------------
    "input-missing": {
        "vi": "{file}: không tìm thấy tệp",
        "en": "{file}: no such file",
    },
    "input-is-directory": {
        "vi": "{file}: là thư mục, không phải tệp Excel",
        "en": "{file}: is a directory, not a workbook",
    },
    "input-permission": {
        "vi": "{file}: không có quyền đọc tệp",
        "en": "{file}: permission denied",
    },
    "input-unreadable": {
        "vi": "{file}: không đọc được tệp ({detail})",
        "en": "{file}: cannot read the file ({detail})",
    },
    "input-empty": {
        "vi": "{file}: tệp rỗng (0 byte)",
        "en": "{file}: the file is empty (0 bytes)",
    },
    "input-lock-file": {
        "vi": "{file}: đây là tệp khóa tạm của Excel (~$…), không phải biểu số liệu",
        "en": "{file}: this is an Excel lock file (~$…), not a submission",
    },
    "input-not-workbook": {
        "vi": "{file}: không phải tệp Excel (.xlsx, .xlsm, .xlsb, .xls) hay .ods",
        "en": "{file}: not an Excel (.xlsx, .xlsm, .xlsb, .xls) or .ods workbook",
    },
    "input-corrupt": {
        "vi": "{file}: tệp bị hỏng hoặc không đầy đủ, không đọc được",
        "en": "{file}: the workbook is damaged or truncated and cannot be read",
    },
    "input-encrypted": {
        "vi": "{file}: tệp được đặt mật khẩu (mã hóa); hãy gỡ mật khẩu rồi nộp lại",
        "en": "{file}: the workbook is password-protected (encrypted); remove the password and resubmit",
    },
    "input-zip-bomb": {
        "vi": "{file}: nội dung giải nén quá lớn ({size} byte, giới hạn {limit}; nâng bằng --max-unzipped-mb "
        "nếu tệp đáng tin); từ chối đọc",
        "en": "{file}: unpacks to too much data ({size} bytes, limit {limit}; raise it with --max-unzipped-mb "
        "if the file is trusted); refused",
    },
    "input-repeated-rows": {
        "vi": "{file}: một dòng có số liệu được lặp lại {rows} lần (giới hạn {limit}); không phải bảng người nhập, "
        "từ chối đọc",
        "en": "{file}: a row with values is repeated {rows} times (limit {limit}); not a table anyone typed, refused",
    },
    "input-xml-dtd": {
        "vi": "{file}: phần '{part}' khai báo DTD/thực thể XML (dấu hiệu tệp độc hại); từ chối đọc",
        "en": "{file}: the part '{part}' declares an XML DTD or entities (a sign of a hostile file); refused",
    },
    "input-crashed": {
        "vi": "{file}: trình đọc dừng bất thường khi mở tệp ({detail}); "
        "thường do một ô nằm rất xa (ví dụ XFD1048576) hoặc tệp quá lớn. Hãy xóa các ô thừa rồi nộp lại",
        "en": "{file}: the reader stopped abnormally on this file ({detail}); "
        "usually a stray cell far away (such as XFD1048576) or a file too large. Delete the stray cells and resubmit",
    },
    "input-memory-limit": {
        "vi": "{file}: đọc tệp cần nhiều hơn giới hạn bộ nhớ --max-memory-mb {mb} ({detail}); "
        "nâng giới hạn nếu tệp đáng tin",
        "en": "{file}: reading it needs more than the --max-memory-mb {mb} limit ({detail}); "
        "raise the limit if the file is trusted",
    },
    "input-timeout": {
        "vi": "{file}: đọc tệp quá {seconds} giây; đã dừng",
        "en": "{file}: reading took longer than {seconds} seconds; stopped",
    },
    "input-password-wrong": {
        "vi": "{file}: mật khẩu không đúng, không giải mã được tệp",
        "en": "{file}: wrong password; the workbook cannot be decrypted",
    },
    "input-empty-folder": {
        "vi": "{file}: thư mục không có tệp .xlsx, .xlsm, .xlsb, .xls hay .ods nào",
        "en": "{file}: the folder holds no .xlsx, .xlsm, .xlsb, .xls or .ods file",
    },
    "input-own-report": {
        "vi": "{file}: là báo cáo do qbplan tạo, không phải biểu số liệu; bỏ qua",
        "en": "{file}: a report qbplan wrote, not a submission; left out",
    },
    "input-skipped": {
        "vi": "{file}: không đọc ({reason})",
        "en": "{file}: not read ({reason})",
    },
    "input-no-match": {
        "vi": "{file}: không có tệp nào khớp mẫu này",
        "en": "{file}: no file matches this pattern",
    },
    "annotate-not-xlsx": {
        "vi": "{file}: chỉ đánh dấu được tệp .xlsx hoặc .xlsm; hãy lưu tệp dưới dạng .xlsx trong Excel",
        "en": "{file}: only .xlsx or .xlsm workbooks can be annotated; save it as .xlsx in Excel first",
    },
    "input-no-form-sheet": {
        "vi": "{file}: không có trang nào của biểu mẫu. Cần: {expected}. Tìm thấy: {found}",
        "en": "{file}: none of the form's sheets. Expected: {expected}. Found: {found}",
    },
    "input-no-header": {
        "vi": "{file}, trang '{sheet}': không tìm thấy dòng tiêu đề (cần các cột như {expected})",
        "en": "{file}, sheet '{sheet}': no header row found (expected columns such as {expected})",
    },
    "input-missing-columns": {
        "vi": "{file}, trang '{sheet}', dòng tiêu đề {row}: thiếu cột {missing}. Tìm thấy: {found}",
        "en": "{file}, sheet '{sheet}', header row {row}: missing columns {missing}. Found: {found}",
    },
    # --- the targets file (exit 2) -------------------------------------------
    "config-unknown-plan": {
        "vi": "không có kế hoạch '{plan}' kèm theo qbplan. Các kế hoạch: {known} (xem: qbplan plans)",
        "en": "no bundled plan '{plan}'. Plans: {known} (see: qbplan plans)",
    },
    "usage-plan-and-targets": {
        "vi": "chỉ dùng một trong --plan và --targets",
        "en": "give --plan or --targets, not both",
    },
    "config-missing": {
        "vi": "{file}: không tìm thấy tệp chỉ tiêu",
        "en": "{file}: targets file not found",
    },
    "config-unreadable": {
        "vi": "{file}: không đọc được tệp chỉ tiêu ({detail})",
        "en": "{file}: cannot read the targets file ({detail})",
    },
    "config-not-file": {
        "vi": "{file}: tệp chỉ tiêu phải là một tệp thường (không phải ống dẫn hay thiết bị)",
        "en": "{file}: the targets file must be a regular file (not a pipe or a device)",
    },
    "config-too-large": {
        "vi": "{file}: tệp chỉ tiêu quá lớn (giới hạn {limit} byte)",
        "en": "{file}: the targets file is too large (limit {limit} bytes)",
    },
    "config-encoding": {
        "vi": "{file}: tệp chỉ tiêu phải mã hóa UTF-8",
        "en": "{file}: the targets file must be UTF-8",
    },
    "config-syntax": {
        "vi": "{file}:{line}: lỗi cú pháp YAML: {detail}",
        "en": "{file}:{line}: YAML syntax error: {detail}",
    },
    "config-alias": {
        "vi": "{file}:{line}: {path}: không dùng anchor/alias (&, *) trong tệp chỉ tiêu",
        "en": "{file}:{line}: {path}: anchors and aliases (&, *) are not allowed in a targets file",
    },
    "config-tag": {
        "vi": "{file}:{line}: {path}: thẻ YAML {tag} không được phép",
        "en": "{file}:{line}: {path}: the YAML tag {tag} is not allowed",
    },
    "config-key-type": {
        "vi": "{file}:{line}: {path}: khóa phải là chuỗi",
        "en": "{file}:{line}: {path}: keys must be plain strings",
    },
    "config-duplicate-key": {
        "vi": "{file}:{line}: {path}: khóa '{key}' bị lặp",
        "en": "{file}:{line}: {path}: duplicate key '{key}'",
    },
    "config-not-mapping": {
        "vi": "{file}:{line}: tệp chỉ tiêu phải là một bảng khóa: giá trị (version, plan, form, indicators)",
        "en": "{file}:{line}: a targets file must be a mapping (version, plan, form, indicators)",
    },
    "config-invalid": {
        "vi": "{file}:{line}: {path}: {detail}{more_text}",
        "en": "{file}:{line}: {path}: {detail}{more_text}",
    },
    "config-duplicate-id": {
        "vi": "{file}:{line}: {path}: mã '{id}' bị lặp{more_text}",
        "en": "{file}:{line}: {path}: duplicate id '{id}'{more_text}",
    },
    "config-unknown-sheet": {
        "vi": "{file}:{line}: {path}: không có trang '{sheet}' trong form{more_text}",
        "en": "{file}:{line}: {path}: the form has no sheet '{sheet}'{more_text}",
    },
    "config-unknown-column": {
        "vi": "{file}:{line}: {path}: trang '{sheet}' không có cột '{column}'{more_text}",
        "en": "{file}:{line}: {path}: the sheet '{sheet}' has no column '{column}'{more_text}",
    },
    "config-unknown-value": {
        "vi": "{file}:{line}: {path}: cột '{column}' không có giá trị '{value}'{more_text}",
        "en": "{file}:{line}: {path}: the column '{column}' has no value '{value}'{more_text}",
    },
    "config-wrong-type": {
        "vi": "{file}:{line}: {path}: cột '{column}' phải có kiểu {type}{more_text}",
        "en": "{file}:{line}: {path}: the column '{column}' must be of type {type}{more_text}",
    },
    "config-not-int": {
        "vi": "{file}:{line}: {path}: quy tắc ≤ chỉ dùng cho cột số nguyên ('{column}'){more_text}",
        "en": "{file}:{line}: {path}: a ≤ rule needs int columns ('{column}'){more_text}",
    },
    "config-enum-values": {
        "vi": "{file}:{line}: {path}: cột '{column}': kiểu enum cần 'values', và chỉ enum mới có 'values'{more_text}",
        "en": "{file}:{line}: {path}: column '{column}': type enum needs 'values', "
        "and only enum may have them{more_text}",
    },
    "config-stretch-below-pass": {
        "vi": "{file}:{line}: {path}: mức vượt (stretch) phải ≥ mức đạt (pass){more_text}",
        "en": "{file}:{line}: {path}: the stretch level must be ≥ the pass level{more_text}",
    },
    "config-warn-above-pass": {
        "vi": "{file}:{line}: {path}: ngưỡng cảnh báo (warn) phải ≤ ngưỡng đạt (pass){more_text}",
        "en": "{file}:{line}: {path}: the warn threshold must be ≤ the pass threshold{more_text}",
    },
    "config-count-denominator": {
        "vi": "{file}:{line}: {path}: chỉ tiêu kiểu count không có mẫu số (mẫu số là số dòng){more_text}",
        "en": "{file}:{line}: {path}: a count indicator takes no denominator (it is the row count){more_text}",
    },
    "config-sum-denominator": {
        "vi": "{file}:{line}: {path}: chỉ tiêu kiểu sum cần 'denominator'{more_text}",
        "en": "{file}:{line}: {path}: a sum indicator needs a 'denominator'{more_text}",
    },
    # --- usage (exit 2) -------------------------------------------------------
    "usage-no-inputs": {
        "vi": "Chưa chỉ ra tệp cần kiểm tra",
        "en": "No input file given",
    },
    "usage-unknown-indicator": {
        "vi": "không có chỉ tiêu '{indicator}'. Các chỉ tiêu: {known}",
        "en": "no indicator '{indicator}'. Indicators: {known}",
    },
    "usage-bad-period": {
        "vi": "kỳ '{period}' không hợp lệ; ghi 2024, 2024-Q1 … 2024-Q4, 2024-H1, 2024-H2 hoặc 2024-01 … 2024-12",
        "en": "'{period}' is not a period; write 2024, 2024-Q1 … 2024-Q4, 2024-H1, 2024-H2 or 2024-01 … 2024-12",
    },
    "usage-save-needs-period": {
        "vi": "--save cần kỳ báo cáo: thêm --period, ví dụ --period 2025",
        "en": "--save needs the reporting period: add --period, e.g. --period 2025",
    },
    "history-db-not-file": {
        "vi": "{file}: không phải tệp thường; cơ sở dữ liệu lịch sử là một tệp SQLite",
        "en": "{file}: not a regular file; the history database is one SQLite file",
    },
    "history-db-unreadable": {
        "vi": "{file}: không mở được cơ sở dữ liệu lịch sử ({detail})",
        "en": "{file}: cannot open the history database ({detail})",
    },
    "history-db-foreign": {
        "vi": "{file}: không phải cơ sở dữ liệu lịch sử của qbplan; không ghi gì vào tệp này",
        "en": "{file}: not a qbplan history database; nothing is written to it",
    },
    "history-db-corrupt": {
        "vi": "{file}: cơ sở dữ liệu lịch sử bị hỏng ({detail}); không ghi gì vào tệp này",
        "en": "{file}: the history database is damaged ({detail}); nothing is written to it",
    },
    "history-db-newer": {
        "vi": "{file}: cơ sở dữ liệu do phiên bản qbplan mới hơn tạo (lược đồ {version}, bản này đọc đến {supported}); "
        "hãy nâng cấp qbplan",
        "en": "{file}: written by a newer qbplan (schema {version}; this one reads up to {supported}); upgrade qbplan",
    },
    "history-db-older": {
        "vi": "{file}: cơ sở dữ liệu theo lược đồ cũ {version}; "
        "lưu một lần chạy (check --save) để nâng lên {supported}",
        "en": "{file}: an older schema ({version}); save a run (check --save) to bring it to {supported}",
    },
    "history-db-missing": {
        "vi": "{file}: chưa có cơ sở dữ liệu lịch sử; lưu lần chạy bằng qbplan check … --period KỲ --save",
        "en": "{file}: no history database yet; save a run with qbplan check … --period PERIOD --save",
    },
    "history-db-no-folder": {
        "vi": "{file}: thư mục chứa cơ sở dữ liệu không tồn tại",
        "en": "{file}: the database's folder does not exist",
    },
    "history-db-busy": {
        "vi": "{file}: cơ sở dữ liệu đang bận quá lâu (một lần lưu khác chưa xong); thử lại",
        "en": "{file}: the database stayed busy too long (another save has not finished); try again",
    },
    "history-no-period": {
        "vi": "{file}: không có lần chạy nào đã lưu của kỳ {period} (kế hoạch {plan})",
        "en": "{file}: no saved run of the period {period} (plan {plan})",
    },
    "history-no-runs": {
        "vi": "{file}: không có lần chạy nào của kế hoạch {plan}; các kế hoạch đã lưu: {plans}",
        "en": "{file}: no run of the plan {plan}; plans saved: {plans}",
    },
    "history-not-saved": {
        "vi": "không lưu vào {file}: có tệp không đọc được, kết quả này không đủ để làm kết quả của kỳ",
        "en": "not saved in {file}: an input could not be read, so this run cannot stand as the period's result",
    },
    "usage-per-unit-needs-register": {
        "vi": "--per-unit cần danh mục đơn vị báo cáo: thêm --register DANH_MỤC",
        "en": "--per-unit needs the register of reporting units: add --register REGISTER",
    },
    "usage-output-not-folder": {
        "vi": "{file} là một tệp; với --per-unit, --output là thư mục",
        "en": "{file} is a file; with --per-unit, --output is a folder",
    },
    "usage-unit-names-clash": {
        "vi": "hai đơn vị trong danh mục cho cùng tên tệp {file}; sửa mã đơn vị trong danh mục",
        "en": "two registered units give the same file name {file}; fix their codes in the register",
    },
    "usage-output-exists": {
        "vi": "{file} đã có; thêm --force để ghi đè",
        "en": "{file} already exists; add --force to overwrite it",
    },
    "usage-output-is-directory": {
        "vi": "{file}: là thư mục; --output cần tên tệp",
        "en": "{file}: is a folder; --output needs a file name",
    },
    "usage-output-no-folder": {
        "vi": "{file}: thư mục chứa tệp kết quả không tồn tại",
        "en": "{file}: the folder for the output does not exist",
    },
    "usage-output-is-input": {
        "vi": "{file}: tệp kết quả trùng với tệp đầu vào; chọn tên khác để không ghi đè biểu số liệu",
        "en": "{file}: the output is one of the inputs; choose another name so no submission is overwritten",
    },
    "usage-annotate-suffix": {
        "vi": "{file}: tệp đánh dấu phải là .xlsx, hoặc .xlsm khi tệp gốc có macro; tên tệp phải đúng với nội dung",
        "en": "{file}: the marked copy must be .xlsx, or .xlsm when the original has macros; "
        "the name must say what the content is",
    },
    "usage-output-required": {
        "vi": "định dạng {format} cần --output TỆP",
        "en": "the {format} format needs --output FILE",
    },
    "usage-bad-by-sheet": {
        "vi": "--by {column}: trang '{sheet}' của chỉ tiêu này không có cột này",
        "en": "--by {column}: this indicator's sheet '{sheet}' has no such column",
    },
    "usage-bad-by": {
        "vi": "--by {column}: không trang nào của biểu mẫu có cột này. Chọn một trong: {choices}",
        "en": "--by {column}: no form sheet has this column. Choose one of: {choices}",
    },
}

UI: dict[str, dict[str, str]] = {
    "col.id": {"vi": "Mã", "en": "ID"},
    "col.title": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "col.rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "col.target": {"vi": "Mục tiêu", "en": "Target"},
    "col.fraction": {"vi": "Tử số/Mẫu số", "en": "Num./Denom."},
    "col.status": {"vi": "Kết quả", "en": "Status"},
    "col.excluded": {"vi": "Dòng loại", "en": "Rows out"},
    "col.group": {"vi": "Nhóm", "en": "Group"},
    "col.where": {"vi": "Vị trí", "en": "Where"},
    "col.code": {"vi": "Mã lỗi", "en": "Code"},
    "col.message": {"vi": "Nội dung", "en": "Message"},
    "col.file": {"vi": "Tệp", "en": "File"},
    "col.sheets": {"vi": "Trang", "en": "Sheets"},
    "col.rows": {"vi": "Dòng đọc", "en": "Rows read"},
    "col.errors": {"vi": "Lỗi", "en": "Errors"},
    "col.layout": {"vi": "Dòng trình bày", "en": "Layout rows"},
    "col.blank": {"vi": "Dòng trống", "en": "Blank rows"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.sheet": {"vi": "Trang", "en": "Sheet"},
    "col.row": {"vi": "Dòng", "en": "Row"},
    "col.cell": {"vi": "Ô", "en": "Cell"},
    "col.warnings": {"vi": "Cảnh báo", "en": "Warnings"},
    "status.pass": {"vi": "ĐẠT", "en": "PASS"},
    "status.exceeded": {"vi": "VƯỢT", "en": "EXCEEDED"},
    "status.warn": {"vi": "CẦN CỐ GẮNG", "en": "WARN"},
    "status.fail": {"vi": "CHƯA ĐẠT", "en": "FAIL"},
    "status.incomplete": {"vi": "CHƯA ĐỦ SỐ LIỆU", "en": "INCOMPLETE"},
    "status.no_data": {"vi": "KHÔNG CÓ SỐ LIỆU", "en": "NO DATA"},
    "col.previous": {"vi": "Kỳ trước", "en": "Previous"},
    "col.change": {"vi": "Thay đổi (điểm %)", "en": "Change (pp)"},
    "compare.line": {
        "vi": "Kỳ trước: {period} (lần chạy hiện hành của kỳ đó trong cơ sở dữ liệu lịch sử)",
        "en": "Previous: {period} (that period's current run in the history database)",
    },
    "col.period": {"vi": "Kỳ", "en": "Period"},
    "col.run": {"vi": "Lần chạy", "en": "Run"},
    "col.saved": {"vi": "Lưu lúc", "en": "Saved"},
    "col.version": {"vi": "Phiên bản", "en": "Version"},
    "col.targets": {"vi": "Tệp chỉ tiêu (SHA-256)", "en": "Targets file (SHA-256)"},
    "col.files": {"vi": "Tệp (SHA-256)", "en": "Files (SHA-256)"},
    "col.command": {"vi": "Lệnh", "en": "Command"},
    "history.title": {"vi": "Lịch sử thực hiện chỉ tiêu", "en": "Indicator history"},
    "history.heading": {
        "vi": "{id} · {title} (mục tiêu {goal} năm {deadline})",
        "en": "{id} · {title} (target {goal} by {deadline})",
    },
    "history.db": {"vi": "Cơ sở dữ liệu: {db}", "en": "Database: {db}"},
    "history.runs": {"vi": "Các lần chạy đã lưu", "en": "Saved runs"},
    "history.current_mark": {
        "vi": "* lần chạy hiện hành của kỳ (lần lưu sau cùng); các lần trước vẫn được giữ",
        "en": "* the period's current run (the latest saved); earlier ones are kept",
    },
    "history.note": {
        "vi": "Dự báo là đường thẳng (bình phương tối thiểu) qua tỷ lệ các năm, không phải cam kết.",
        "en": "The projection is a straight line (least squares) through the yearly rates, not a promise.",
    },
    "history.met": {
        "vi": "đã đạt {goal}; đúng tiến độ (xu hướng {slope} điểm %/năm qua {points} năm)",
        "en": "{goal} met; on track (trend {slope} pp a year over {points} years)",
    },
    "history.on_track": {
        "vi": "theo xu hướng {slope} điểm %/năm qua {points} năm, đạt {goal} vào năm {year}: đúng tiến độ "
        "(hạn {deadline})",
        "en": "at {slope} pp a year over {points} years, {goal} is reached in {year}: on track (deadline {deadline})",
    },
    "history.behind": {
        "vi": "theo xu hướng {slope} điểm %/năm qua {points} năm, đạt {goal} vào năm {year}: chậm tiến độ "
        "(hạn {deadline})",
        "en": "at {slope} pp a year over {points} years, {goal} is reached in {year}: behind (deadline {deadline})",
    },
    "history.never": {
        "vi": "xu hướng {slope} điểm %/năm qua {points} năm không đưa tới {goal}: chậm tiến độ (hạn {deadline})",
        "en": "a trend of {slope} pp a year over {points} years never reaches {goal}: behind (deadline {deadline})",
    },
    "history.too_few": {
        "vi": "chưa dự báo: cần tỷ lệ của ít nhất {min} năm, mới có {n}",
        "en": "no projection yet: it needs the rates of at least {min} years, there are {n}",
    },
    "period.year": {"vi": "Năm {year}", "en": "{year}"},
    "period.quarter": {"vi": "Quý {index}/{year}", "en": "Q{index} {year}"},
    "period.half1": {"vi": "6 tháng đầu năm {year}", "en": "H1 {year}"},
    "period.half2": {"vi": "6 tháng cuối năm {year}", "en": "H2 {year}"},
    "period.month": {"vi": "Tháng {index}/{year}", "en": "{year}-{index:02d}"},
    "history.saved": {
        "vi": "đã lưu lần chạy #{run} ({period}) vào {db}",
        "en": "saved run #{run} ({period}) in {db}",
    },
    "history.backup": {
        "vi": "đã sao lưu cơ sở dữ liệu cũ vào {backup} trước khi nâng lược đồ",
        "en": "copied the old database to {backup} before upgrading its schema",
    },
    "goal.milestone": {"vi": "{goal} (mốc {year})", "en": "{goal} ({year} milestone)"},
    "note.missing": {
        "vi": "{id}: {share}; thiếu {missing}/{expected} đơn vị trong danh mục chưa có số liệu hợp lệ",
        "en": "{id}: {share}; {missing} of {expected} registered units have no valid row",
    },
    "completeness.heading": {
        "vi": "{sheet}: {submitted}/{expected} đơn vị trong danh mục đã nộp; thiếu {missing}; "
        "{unknown} đơn vị không có trong danh mục",
        "en": "{sheet}: {submitted} of {expected} registered units submitted; {missing} missing; "
        "{unknown} not in the register",
    },
    "title.completeness": {"vi": "Đơn vị báo cáo", "en": "Reporting units"},
    "title.missing": {"vi": "Chưa báo cáo", "en": "Not reported"},
    "title.unknown": {"vi": "Không có trong danh mục", "en": "Not in the register"},
    "col.reported": {"vi": "Đã báo cáo", "en": "Reported"},
    "report.register": {"vi": "Danh mục đơn vị báo cáo: {files}", "en": "Register of reporting units: {files}"},
    "register.prefix": {"vi": "danh mục đơn vị báo cáo", "en": "register of reporting units"},
    "title.indicators": {"vi": "Kết quả thực hiện chỉ tiêu", "en": "Indicator results"},
    "title.breakdown": {"vi": "Chi tiết theo {by}", "en": "Breakdown by {by}"},
    "title.errors": {"vi": "Lỗi số liệu", "en": "Data errors"},
    "title.warnings": {"vi": "Cảnh báo", "en": "Warnings"},
    "title.chart": {"vi": "Tỷ lệ đạt so với mục tiêu", "en": "Rate against target"},
    "title.table": {"vi": "Bảng kết quả", "en": "Results"},
    "title.findings": {"vi": "Lỗi và cảnh báo", "en": "Findings"},
    "col.severity": {"vi": "Mức", "en": "Severity"},
    "col.column": {"vi": "Cột", "en": "Column"},
    "severity.error": {"vi": "lỗi", "en": "error"},
    "severity.warning": {"vi": "cảnh báo", "en": "warning"},
    "explain.title": {
        "vi": "{id} · {title}: {rate} ({fraction}), mục tiêu {goal}",
        "en": "{id} · {title}: {rate} ({fraction}), target {goal}",
    },
    "explain.gap": {
        "vi": "Cần thêm {gap} {unit} để đạt {goal}.",
        "en": "{gap} more {unit} needed to reach {goal}.",
    },
    "explain.met": {"vi": "Đã đạt mục tiêu {goal}.", "en": "The target of {goal} is met."},
    "explain.rows": {
        "vi": "Các đơn vị kéo tỷ lệ xuống (theo số còn thiếu; {shown}/{total} dòng)",
        "en": "Who pulls the rate down (by shortfall; {shown} of {total} rows)",
    },
    "explain.groups": {"vi": "Theo {by}", "en": "By {by}"},
    "explain.findings": {
        "vi": "{errors} lỗi số liệu, {warnings} cảnh báo; chạy qbplan check để xem chi tiết",
        "en": "{errors} data errors, {warnings} warnings; run qbplan check for details",
    },
    "explain.missing": {
        "vi": "Đơn vị trong danh mục chưa có số liệu hợp lệ ({n})",
        "en": "Registered units with no valid row ({n})",
    },
    "explain.more_units": {"vi": "… và {n} đơn vị khác", "en": "… and {n} more units"},
    "explain.gap_missing": {
        "vi": "(trên tổng số đơn vị trong danh mục, kể cả {n} đơn vị chưa có số liệu hợp lệ)",
        "en": "(over every registered unit, the {n} with no valid row included)",
    },
    "col.gap": {"vi": "Cần thêm", "en": "Gap"},
    "col.key": {"vi": "Mã", "en": "Code"},
    "col.name": {"vi": "Tên", "en": "Name"},
    "annotate.done": {
        "vi": "đã đánh dấu {cells} ô trong {output}",
        "en": "marked {cells} cells in {output}",
    },
    # The words of the two administrative documents qbplan writes, the form
    # (qbplan template) and the annex (--format annex): both stay Vietnamese
    # whatever --lang says. Agencies fill in the form and qbplan reads its
    # labels back; a province files the annex with its report.
    "form.authority": {"vi": "CƠ QUAN, ĐƠN VỊ BÁO CÁO: ……………………", "en": "REPORTING AGENCY: ……………………"},
    "doc.republic": {"vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "SOCIALIST REPUBLIC OF VIETNAM"},
    "doc.motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Independence - Freedom - Happiness"},
    "form.place_date": {"vi": "……, ngày … tháng … năm ……", "en": "……, date ……"},
    "doc.preparer": {"vi": "NGƯỜI LẬP BIỂU", "en": "PREPARED BY"},
    "doc.head": {"vi": "THỦ TRƯỞNG ĐƠN VỊ", "en": "HEAD OF THE AGENCY"},
    "doc.preparer_sign": {"vi": "(Ký, ghi rõ họ tên)", "en": "(Signature and full name)"},
    "doc.head_sign": {"vi": "(Ký tên, đóng dấu)", "en": "(Signature and seal)"},
    "form.one_row": {"vi": "một {label}", "en": "one {label}"},
    "form.invalid": {"vi": "Giá trị không hợp lệ", "en": "Invalid value"},
    "form.help.int": {"vi": "Số nguyên, không âm.", "en": "A whole number, not negative."},
    "form.help.yesno": {"vi": "Chọn Có hoặc Không.", "en": "Choose Có (yes) or Không (no)."},
    "form.help.enum": {"vi": "Chọn: {choices}.", "en": "Choose: {choices}."},
    "form.help.le": {"vi": "Không lớn hơn {columns}.", "en": "Not more than {columns}."},
    "form.help.optional": {"vi": "Có thể để trống.", "en": "May be left blank."},
    "form.type.text": {"vi": "chữ", "en": "text"},
    "form.type.int": {"vi": "số nguyên ≥ 0", "en": "whole number ≥ 0"},
    "form.type.yesno": {"vi": "Có/Không", "en": "Có/Không (yes/no)"},
    "form.type.enum": {"vi": "chọn trong danh sách", "en": "one of a list"},
    "form.required.yes": {"vi": "có", "en": "yes"},
    "form.required.no": {"vi": "không", "en": "no"},
    "form.guide.title": {
        "vi": "HƯỚNG DẪN ĐIỀN BIỂU SỐ LIỆU (mẫu {version})",
        "en": "HOW TO FILL IN THE SURVEY FORM (form {version})",
    },
    "form.guide.rows": {
        "vi": "Mỗi trang là một biểu. Điền từ dòng {first}, mỗi dòng như ghi ở đầu biểu; giữ nguyên các dòng tiêu đề.",
        "en": "Each sheet is one form. Fill in from row {first}, one row as its top says; keep the header rows.",
    },
    "form.guide.numbers": {
        "vi": "Cột (n) là số thứ tự cột in ở dòng {row} của mỗi biểu.",
        "en": "Column (n) is the column number printed in row {row} of each form.",
    },
    "form.guide.sheet": {"vi": "Biểu: {label}", "en": "Form: {label}"},
    "form.guide.col": {"vi": "Cột", "en": "Column"},
    "form.guide.col_label": {"vi": "Tên cột", "en": "Column name"},
    "form.guide.type": {"vi": "Kiểu", "en": "Type"},
    "form.guide.required": {"vi": "Bắt buộc", "en": "Required"},
    "form.guide.help": {"vi": "Ghi chú", "en": "Notes"},
    "form.guide.indicators": {"vi": "Chỉ tiêu năm {years}", "en": "Targets for {years}"},
    "form.guide.id": {"vi": "Mã", "en": "ID"},
    "form.guide.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "form.guide.target": {"vi": "Mục tiêu", "en": "Target"},
    "form.guide.form": {"vi": "Biểu", "en": "Form"},
    "form.guide.how": {"vi": "Cách tính", "en": "How it is computed"},
    "form.guide.source": {"vi": "Nguồn", "en": "Source"},
    "form.how.count": {"vi": "số dòng có '{column}' = Có / số dòng", "en": "rows with '{column}' = Có / rows"},
    "form.how.sum": {"vi": "tổng '{column}' / tổng {columns}", "en": "sum of '{column}' / sum of {columns}"},
    "form.how.scope": {"vi": "; chỉ tính dòng có {scope}", "en": "; only rows with {scope}"},
    "annex.sheet": {"vi": "Phụ lục", "en": "Annex"},
    "annex.title": {
        "vi": "Phụ lục: Kết quả thực hiện các chỉ tiêu đến năm {year} — {plan}",
        "en": "Annex: results of the targets to {year} — {plan}",
    },
    "annex.reference": {
        "vi": "(Kèm theo Báo cáo số {number} ngày …… tháng …… năm ……)",
        "en": "(Attached to report no. {number} of ……)",
    },
    "annex.note": {"vi": "Ghi chú: ", "en": "Note: "},
    "annex.place_date": {"vi": "……, ngày …… tháng …… năm ……", "en": "……, date ……"},
    "annex.col.stt": {"vi": "STT", "en": "No."},
    "annex.col.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "annex.col.unit": {"vi": "Đơn vị tính", "en": "Unit"},
    "annex.col.plan": {"vi": "Kế hoạch", "en": "Planned"},
    "annex.col.done": {"vi": "Thực hiện", "en": "Achieved"},
    "annex.col.rate": {"vi": "Tỷ lệ", "en": "Share of plan"},
    "annex.col.verdict": {"vi": "Đánh giá", "en": "Assessment"},
    "annex.verdict.pass": {"vi": "Đạt", "en": "Met"},
    "annex.verdict.exceeded": {"vi": "Vượt", "en": "Exceeded"},
    "annex.verdict.fail": {"vi": "Chưa đạt", "en": "Not met"},
    "annex.verdict.warn": {"vi": "Cần cố gắng", "en": "Needs effort"},
    "annex.verdict.incomplete": {"vi": "Chưa đủ số liệu", "en": "Incomplete data"},
    "annex.verdict.no_data": {"vi": "Không có số liệu", "en": "No data"},
    "unit.default": {"vi": "đơn vị", "en": "units"},
    "error.internal": {"vi": "lỗi nội bộ", "en": "internal error"},
    "error.interrupted": {"vi": "đã dừng", "en": "interrupted"},
    "error.memory": {"vi": "hết bộ nhớ", "en": "out of memory"},
    "template.title": {
        "vi": "BIỂU SỐ LIỆU: {sheet} (mẫu {version})",
        "en": "SURVEY FORM: {sheet} (form {version})",
    },
    "template.note": {
        "vi": "Mỗi dòng {rows}, từ dòng {first}; chèn thêm dòng nếu cần. Không sửa, không xóa các dòng tiêu đề. "
        "Xem trang 'Hướng dẫn'.",
        "en": "One row per {rows}, from row {first}; insert rows as needed. Do not edit or delete the header rows. "
        "See the 'Hướng dẫn' sheet.",
    },
    "title.files": {"vi": "Tệp đã đọc", "en": "Files read"},
    "report.meta": {
        "vi": "Lập lúc {date} bằng qbplan, theo tệp chỉ tiêu {targets} (kế hoạch {plan})",
        "en": "Made on {date} by qbplan, with the targets file {targets} (plan {plan})",
    },
    "report.targets": {
        "vi": "Tệp chỉ tiêu: {targets} (kế hoạch {plan})",
        "en": "Targets file: {targets} (plan {plan})",
    },
    "scope.table": {"vi": "trong bảng", "en": "in the table"},
    "scope.rows": {"vi": "{first}–{last}", "en": "{first}–{last}"},
    "group.none": {"vi": "(không ghi)", "en": "(blank)"},
    "reason.symlink": {
        "vi": "liên kết tượng trưng; trong thư mục không đi theo liên kết, hãy chỉ ra tệp đích",
        "en": "a symbolic link; links are not followed inside a folder, name the target instead",
    },
    "reason.lock-file": {"vi": "tệp khóa tạm của Excel", "en": "an Excel lock file"},
    "reason.hidden": {"vi": "tệp hoặc thư mục ẩn", "en": "a hidden file or folder"},
    "reason.not-regular": {
        "vi": "không phải tệp thường (ống dẫn, thiết bị…)",
        "en": "not a regular file (a pipe, a device …)",
    },
    "unreadable": {"vi": "không đọc được", "en": "unreadable"},
    "summary": {
        "vi": "{files} tệp, {rows} dòng số liệu, {excluded} dòng bị loại do lỗi, {blank} dòng trống và "
        "{layout} dòng trình bày (số thứ tự cột, mục, tổng, ký tên) bỏ qua. "
        "Chỉ tiêu: {statuses}. {errors} lỗi, {warnings} cảnh báo.",
        "en": "{files} file(s), {rows} data rows, {excluded} rows left out for errors, {blank} blank and "
        "{layout} layout rows (column numbers, sections, totals, sign-off) skipped. "
        "Indicators: {statuses}. {errors} error(s), {warnings} warning(s).",
    },
    "count.pass": {"vi": "{n} đạt", "en": "{n} pass"},
    "count.exceeded": {"vi": "trong đó {n} vượt", "en": "{n} of them exceeded"},
    "count.warn": {"vi": "{n} cần cố gắng", "en": "{n} warn"},
    "count.fail": {"vi": "{n} chưa đạt", "en": "{n} fail"},
    "count.incomplete": {"vi": "{n} chưa đủ số liệu", "en": "{n} incomplete"},
    "count.no_data": {"vi": "{n} không có số liệu", "en": "{n} no data"},
    "more_findings": {
        "vi": "… và {n} mục khác (dùng --max-findings hoặc --format json để xem hết)",
        "en": "… and {n} more (use --max-findings or --format json to see all)",
    },
    "more_text": {"vi": " (và {n} lỗi khác)", "en": " (and {n} more)"},
    "error_prefix": {"vi": "Lỗi", "en": "Error"},
}


def _pick(table: dict[str, str], lang: str) -> str:
    return table.get(lang) or table["vi"]


def message(code: str, lang: str = "vi", /, **params: Any) -> str:
    """The message for a finding or error ``code``, formatted with ``params``."""
    entry = MESSAGES.get(code)
    if entry is None:
        return f"{code}: {params}"
    more = params.pop("more", 0)
    params["more_text"] = ui("more_text", lang, n=more) if more else ""
    # A parameter that is itself worded (PydanticDetail) is worded in the message's language.
    params = {k: v.text(lang) if isinstance(v, PydanticDetail) else v for k, v in params.items()}
    try:
        return _pick(entry, lang).format(**params)
    except (KeyError, IndexError):
        return f"{_pick(entry, lang)} {params}"


# Vietnamese for the Pydantic error types a hand-edited targets file meets;
# others keep Pydantic's English text.
PYDANTIC_VI = {
    "missing": "thiếu khóa bắt buộc",
    "extra_forbidden": "khóa không được phép (viết sai tên?)",
    "int_type": "phải là số nguyên",
    "string_type": "phải là chuỗi",
    "bool_type": "phải là true hoặc false",
    "list_type": "phải là danh sách",
    "dict_type": "phải là bảng khóa: giá trị",
    "model_type": "phải là bảng khóa: giá trị",
    "literal_error": "giá trị không hợp lệ",
    "too_short": "không được để trống",
    "string_too_short": "không được để trống",
    "string_pattern_mismatch": "chỉ gồm chữ thường không dấu, số và dấu gạch dưới",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
    # qbplan's own check of a percentage.
    "percentage": "tỷ lệ phải là số từ 0 đến 100 (nhận được {input})",
}


@dataclass(frozen=True)
class PydanticDetail:
    """Pydantic's refusal of a value in the targets file, as data: worded when the message is made."""

    type: str  # Pydantic's error type: "missing", "int_type", "value_error", …
    msg: str  # Pydantic's own English sentence
    reason: str  # a value_error's own reason (the validator's text, without "Value error, ")
    given: Any = None  # the value refused

    def text(self, lang: str) -> str:
        """Pydantic's sentence in English, ours in Vietnamese where we have one; a validator's own reason as it is."""
        if self.type != "value_error":
            return self.msg if lang == "en" else PYDANTIC_VI.get(self.type, self.msg)
        if lang == "vi" and self.reason.startswith("a percentage"):
            return PYDANTIC_VI["percentage"].format(input=self.given)
        return self.reason  # without Pydantic's "Value error, " in front


def ui(key: str, lang: str = "vi", /, **params: Any) -> str:
    """A piece of interface text."""
    return _pick(UI[key], lang).format(**params)


def format_percent(rate: Fraction | None, lang: str = "vi", digits: int = 1) -> str:
    """85,3 % in Vietnamese, 85.3% in English; rounded *down* so a rate just
    below a target never displays as the target itself."""
    if rate is None:
        return "—"
    scale = 10**digits
    tenths = (rate.numerator * 100 * scale) // rate.denominator
    whole, frac = divmod(tenths, scale)
    text = f"{whole}" if digits == 0 else f"{whole}{',' if lang == 'vi' else '.'}{frac:0{digits}d}"
    return text + _percent_sign(lang)


def _percent_sign(lang: str) -> str:
    return " %" if lang == "vi" else "%"


def format_percent_range(low: Fraction, high: Fraction, lang: str = "vi") -> str:
    """Two rates as one range, the sign once: "92,8–100,0 %", "92.8–100.0%"."""
    return f"{format_percent(low, lang).removesuffix(_percent_sign(lang))}–{format_percent(high, lang)}"


def format_int(value: int, lang: str = "vi") -> str:
    """1.234.567 in Vietnamese, 1,234,567 in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def localized(vi: str, en: str, lang: str) -> str:
    """The text of a pair in ``lang``."""
    return en if lang == "en" else vi


def display_value(value: Scalar, lang: str = "vi") -> str:
    """A cell value as people read it: 14 not 14.0; 1.250,5 in Vietnamese, 1,250.5 in English."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows a logical cell
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return format_int(value, lang)
    if isinstance(value, float):
        return _decimal(value, lang)
    return "" if value is None else str(value)


def _decimal(value: float, lang: str) -> str:
    whole, _, decimals = repr(abs(value)).partition(".")
    if "e" in repr(value) or not whole.isdigit():
        return repr(value)  # 1e-07, inf: as Python writes it
    sign = "-" if value < 0 else ""
    point = "," if lang == "vi" else "."
    return f"{sign}{format_int(int(whole), lang)}{point}{decimals}"


# Parameters that are positions or codes, never quantities: shown as written.
_AS_WRITTEN = frozenset({"row", "line", "first", "last", "seconds", "count"})


def _shown(key: str, value: Scalar, lang: str) -> Scalar:
    if isinstance(value, int) and not isinstance(value, bool) and key not in _AS_WRITTEN:
        return format_int(value, lang)
    return value


def describe(finding: Finding, lang: str = "vi") -> str:
    """The sentence for ``finding`` in ``lang``, made from its code and parameters."""
    params: dict[str, Any] = {k: _shown(k, v, lang) for k, v in finding.params.items()}
    params.setdefault("value", display_value(finding.value, lang))
    params.setdefault("file", finding.file or "")
    params.setdefault("sheet", finding.sheet or "")
    for key in ("status", "reason"):
        # A status or a reason is a word of the interface: said, not keyed.
        if f"{key}.{params.get(key)}" in UI:
            params[key] = ui(f"{key}.{params[key]}", lang)
    if "scope_first" in params:
        params["scope"] = _scope(params.pop("scope_first"), params.pop("scope_last"), lang)
    return message(finding.code, lang, **params)


def _scope(first: int | None, last: int | None, lang: str) -> str:
    """The rows a subtotal covers; a grand total covers the whole table."""
    return ui("scope.table", lang) if first is None else ui("scope.rows", lang, first=first, last=last)
