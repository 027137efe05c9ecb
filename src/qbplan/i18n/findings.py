"""Every finding code: its severity and its sentence in both languages, in one entry.

A code is stable: CI gates and JSON consumers match on it, so a code is never
renamed, only added. :func:`qbplan.model.findings.finding` takes a finding's
severity from here; :func:`qbplan.model.wording.describe` its sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Code(NamedTuple):
    """One finding code: how grave it is, and what it says in Vietnamese and in English."""

    severity: Severity
    vi: str
    en: str


FINDINGS: Mapping[str, Code] = {
    # --- cell findings (errors) -------------------------------------------
    "required": Code(
        "error",
        vi="Thiếu giá trị bắt buộc ở cột '{label}'",
        en="Missing required value in column '{label}'",
    ),
    "not-a-number": Code(
        "error",
        vi="'{value}' không phải số nguyên ở cột '{label}'",
        en="'{value}' is not a whole number in column '{label}'",
    ),
    "not-whole": Code(
        "error",
        vi="{value} không phải số nguyên ở cột '{label}'",
        en="{value} is not a whole number in column '{label}'",
    ),
    "negative": Code(
        "error",
        vi="{value} là số âm ở cột '{label}'; số liệu phải ≥ 0",
        en="{value} is negative in column '{label}'; counts must be ≥ 0",
    ),
    "invalid-yesno": Code(
        "error",
        vi="'{value}' không hợp lệ ở cột '{label}'; ghi Có hoặc Không",
        en="'{value}' is not valid in column '{label}'; write Có (yes) or Không (no)",
    ),
    "invalid-enum": Code(
        "error",
        vi="'{value}' không hợp lệ ở cột '{label}'; giá trị cho phép: {allowed}",
        en="'{value}' is not valid in column '{label}'; allowed: {allowed}",
    ),
    "excel-error": Code(
        "error",
        vi="Ô chứa lỗi Excel {detail} ở cột '{label}'",
        en="The cell holds the Excel error {detail} in column '{label}'",
    ),
    "formula-no-value": Code(
        "error",
        vi="Công thức {detail} ở cột '{label}' chưa có giá trị đã tính; mở tệp bằng Excel và lưu lại",
        en="The formula {detail} in column '{label}' has no saved value; open the file in Excel and save it",
    ),
    "exceeds-total": Code(
        "error",
        vi="{value} ở cột '{label}' lớn hơn {of} ({limit})",
        en="{value} in column '{label}' exceeds {of} ({limit})",
    ),
    "inconsistent": Code(
        "error",
        vi="'{value}' ở cột '{label}' trái quy tắc {rule}; dòng này không được tính",
        en="'{value}' in column '{label}' breaks the rule {rule}; this row is not counted",
    ),
    "duplicate-key": Code(
        "error",
        vi="Mã '{value}' ở cột '{label}' bị trùng với ô {first}; dòng này không được tính",
        en="The code '{value}' in column '{label}' repeats cell {first}; this row is not counted",
    ),
    # --- against the last saved period (a column's since_last rule; check --compare) ----------
    # Each is a warning unless the targets file declares the rule an error.
    "since-last-ratio": Code(
        "warning",
        vi="{value} ở cột '{label}' khác quá {ratio} lần so với kỳ {period} ({last}); kiểm tra lại số liệu",
        en="{value} in column '{label}' differs more than {ratio} times from {period} ({last}); check the figure",
    ),
    "since-last-share": Code(
        "warning",
        vi="{value} ở cột '{label}' thay đổi {change} % so với kỳ {period} ({last}), quá mức ±{share} %",
        en="{value} in column '{label}' changed {change}% from {period} ({last}), more than ±{share}%",
    ),
    "since-last-fell": Code(
        "warning",
        vi="{value} ở cột '{label}' giảm so với kỳ {period} ({last}); số cộng dồn không được giảm",
        en="{value} in column '{label}' fell from {period} ({last}); a cumulative count may not fall",
    ),
    "since-last-returned": Code(
        "warning",
        vi="Cột '{label}' trở lại 'Không' trong khi kỳ {period} đã là 'Có'",
        en="Column '{label}' went back to 'No' where {period} said 'Yes'",
    ),
    "outlier": Code(
        "warning",
        vi="{value} ở cột '{label}' khác xa {count} đơn vị cùng nhóm ({group}), trung vị {median}; "
        "kiểm tra lại số liệu",
        en="{value} in column '{label}' is far from the {count} units of its group ({group}), median {median}; "
        "check the figure",
    ),
    "explanation-unmatched": Code(
        "warning",
        vi="Dòng giải trình này không khớp cảnh báo nào của tệp (mã lỗi, trang, dòng, cột: {key}); chưa được dùng",
        en="This explanation matches no warning of the file (code, sheet, row, column: {key}); not used",
    ),
    "explanations-unreadable": Code(
        "warning",
        vi="Không đọc được tệp giải trình (CSV UTF-8 với các cột ma_loi, trang, dong, cot, giai_trinh, dưới 1 MB)",
        en="The explanations file cannot be read (a UTF-8 CSV with columns ma_loi, trang, dong, cot, giai_trinh, "
        "under 1 MB)",
    ),
    "since-last-new-units": Code(
        "warning",
        vi="{count} đơn vị ở trang '{sheet}' chưa có số liệu kỳ {period}: chưa so được với kỳ trước",
        en="{count} unit(s) of sheet '{sheet}' have no figures for {period}: not compared with it",
    ),
    "since-last-merged-incomplete": Code(
        "warning",
        vi="{count} đơn vị ở trang '{sheet}' được hợp thành từ đơn vị cũ mà kỳ {period} thiếu số liệu của "
        "{missing}: chưa so được với kỳ trước",
        en="{count} unit(s) of sheet '{sheet}' were formed from former units, and {period} lacks the figures "
        "of {missing}: not compared with it",
    ),
    # --- the register of reporting units -----------------------------------
    "not-in-register": Code(
        "error",
        vi="Mã '{value}' ở cột '{label}' không có trong danh mục đơn vị báo cáo; dòng này không được tính",
        en="The code '{value}' in column '{label}' is not in the register of reporting units; this row is not counted",
    ),
    "register-mismatch": Code(
        "error",
        vi="'{value}' ở cột '{label}' khác danh mục đơn vị báo cáo: đơn vị mã {key} ghi '{expected}' "
        "(dòng {register_row} của danh mục); dòng này không được tính",
        en="'{value}' in column '{label}' disagrees with the register of reporting units: the unit {key} "
        "has '{expected}' (register row {register_row}); this row is not counted",
    ),
    # --- warnings -----------------------------------------------------------
    "groups-kept-apart": Code(
        "warning",
        vi="Các nhóm trùng tên nhưng khác đơn vị hành chính được tách riêng: {names}",
        en="Groups with one name but different unit words are kept apart: {names}",
    ),
    "submission-row-missing": Code(
        "warning",
        vi="Chưa có dòng '{key}' ({label}) ở trang '{sheet}': dòng này do {unit} báo cáo; chưa gửi thì tỉnh "
        "tính là thiếu",
        en="The row '{key}' ({label}) of the sheet '{sheet}' is not there: {unit} reports it; until it is sent "
        "the province counts it as missing",
    ),
    "submission-other-unit": Code(
        "error",
        vi="'{value}' ở cột '{label}' là dòng do đơn vị {owner} báo cáo, không phải của {unit}; đường dẫn này chỉ "
        "nhận số liệu của {unit}: xóa dòng này",
        en="'{value}' in the column '{label}' is a row reported by {owner}, not by {unit}; this link takes "
        "{unit}'s own data only: remove this row",
    ),
    "targets-local": Code(
        "warning",
        vi="Dùng tệp chỉ tiêu {file} (kế hoạch {plan}), tìm thấy từ thư mục hiện tại trở lên, khác bản kèm theo "
        "qbplan; chỉ ra bằng --targets nếu đúng là tệp này",
        en="Using the targets file {file} (plan {plan}), found from the current folder up, which differs from the "
        "one bundled with qbplan; name it with --targets if it is the right one",
    ),
    "annex-wrong-rate": Code(
        "error",
        vi="Chỉ tiêu {indicator}: phụ lục ghi thực hiện {claimed}, số liệu cho {computed}",
        en="Indicator {indicator}: the annex claims {claimed}, the data gives {computed}",
    ),
    "annex-wrong-verdict": Code(
        "error",
        vi="Chỉ tiêu {indicator}: phụ lục đánh giá '{said}', nhưng theo số liệu là {status}",
        en="Indicator {indicator}: the annex says '{said}', but the data says {status}",
    ),
    "annex-unknown-indicator": Code(
        "error",
        vi="Dòng '{title}' của phụ lục có số liệu nhưng không khớp chỉ tiêu nào của kế hoạch; "
        "số liệu của nó chưa được đối chiếu (thêm tên này vào aliases của chỉ tiêu nếu đúng)",
        en="The annex row '{title}' makes a claim but matches no indicator of the plan, so it was not "
        "checked (add this title to the indicator's aliases if it is one)",
    ),
    "self-score-wrong": Code(
        "error",
        vi="Đơn vị {unit}, tiêu chí {criterion}: tự chấm {claimed} điểm, số liệu của đơn vị cho {computed}",
        en="Unit {unit}, criterion {criterion}: self-scored {claimed} points, the unit's data give {computed}",
    ),
    "self-score-unreadable": Code(
        "error",
        vi="Đơn vị {unit}, tiêu chí {criterion}: điểm tự chấm không phải số (viết 7,5); chưa đối chiếu được",
        en="Unit {unit}, criterion {criterion}: the self-score is not a number (write 7.5); it was not checked",
    ),
    "self-score-unknown-criterion": Code(
        "error",
        vi="Bộ tiêu chí không có tiêu chí '{criterion}' (ghi mã như ct02a hoặc tên tiêu chí); chưa đối chiếu được",
        en="The scoring has no criterion '{criterion}' (write its id, e.g. ct02a, or its title); it was not checked",
    ),
    "self-score-unknown-unit": Code(
        "error",
        vi="Không có đơn vị '{unit}' trong các đơn vị được xếp hạng; chưa đối chiếu được",
        en="No unit '{unit}' among the units ranked; it was not checked",
    ),
    "self-score-no-evidence": Code(
        "warning",
        vi="Đơn vị {unit}, tiêu chí {criterion}: tự chấm điểm nhưng không ghi tài liệu kiểm chứng",
        en="Unit {unit}, criterion {criterion}: self-scored without naming the evidence",
    ),
    "annex-wrong-count": Code(
        "error",
        vi="Chỉ tiêu {indicator}: phụ lục ghi {claimed}, số liệu cho {computed}",
        en="Indicator {indicator}: the annex claims {claimed}, the data gives {computed}",
    ),
    "annex-wrong-goal": Code(
        "error",
        vi="Chỉ tiêu {indicator}: phụ lục ghi {column} {claimed}, kế hoạch là {computed}",
        en="Indicator {indicator}: the annex gives the {column} as {claimed}, the plan sets {computed}",
    ),
    "annex-wrong-share": Code(
        "error",
        vi="Chỉ tiêu {indicator}: phụ lục ghi tỷ lệ so với mục tiêu {claimed}, số liệu cho {computed}",
        en="Indicator {indicator}: the annex claims {claimed} of the target, the data gives {computed}",
    ),
    "annex-unreadable-claim": Code(
        "error",
        vi="Chỉ tiêu {indicator}: không đọc được số liệu ở cột '{column}' (cần dạng 77,9 %, 108/154 hoặc cả hai); "
        "chưa đối chiếu được",
        en="Indicator {indicator}: the '{column}' cell cannot be read (write 77,9 %, 108/154 or both); "
        "it was not checked",
    ),
    "annex-missing-claim": Code(
        "error",
        vi="Chỉ tiêu {indicator}: cột '{column}' để trống",
        en="Indicator {indicator}: the '{column}' cell is blank",
    ),
    "annex-unknown-verdict": Code(
        "error",
        vi="Chỉ tiêu {indicator}: không hiểu đánh giá '{said}' (dùng Đạt, Vượt, Chưa đạt, Hoàn thành, "
        "Chưa hoàn thành, Chưa đủ số liệu…)",
        en="Indicator {indicator}: the assessment '{said}' is not a known word (use Đạt, Vượt, Chưa đạt, "
        "Hoàn thành, Chưa hoàn thành, Chưa đủ số liệu…)",
    ),
    "annex-missing-indicator": Code(
        "error",
        vi="Chỉ tiêu {indicator} ({title}) của kế hoạch không có dòng nào trong phụ lục",
        en="The plan's indicator {indicator} ({title}) has no row in the annex",
    ),
    "denominator-from-files": Code(
        "warning",
        vi="Chỉ tiêu {indicator}: mẫu số là {count} dòng mà các tệp liệt kê ở trang '{sheet}'; "
        "cái không tệp nào ghi thì không được tính. Dùng danh mục (-r) để mẫu số chính xác",
        en="Indicator {indicator}: the denominator is the {count} rows the files list on the sheet '{sheet}'; "
        "what no file lists is not counted. Give the register (-r) to make it exact",
    ),
    "sheet-missing": Code(
        "warning",
        vi="Chỉ tiêu {indicator}: không có trang '{sheet}' trong tệp nào; chưa có số liệu",
        en="Indicator {indicator}: no input has the sheet '{sheet}'; no data",
    ),
    "no-data": Code(
        "warning",
        vi="Chỉ tiêu {indicator}: mẫu số bằng 0 trong phạm vi tính; chưa có số liệu",
        en="Indicator {indicator}: the denominator is 0 over its scope; no data",
    ),
    "sheet-hidden": Code(
        "warning",
        vi="Trang '{sheet}' đang bị ẩn nhưng vẫn được đọc và tính",
        en="The sheet '{sheet}' is hidden; it is still read and counted",
    ),
    "sheet-duplicate": Code(
        "warning",
        vi="Trang '{sheet}' trùng biểu '{form_sheet}' đã đọc ở trang '{first}'; bỏ qua trang này",
        en="The sheet '{sheet}' repeats the form sheet '{form_sheet}' already read from '{first}'; it is skipped",
    ),
    "rows-hidden": Code(
        "warning",
        vi="Trang '{sheet}' có {count} dòng số liệu bị ẩn ({rows}); các dòng này vẫn được đọc và tính",
        en="The sheet '{sheet}' has {count} hidden data rows ({rows}); they are still read and counted",
    ),
    "probe-skipped": Code(
        "warning",
        vi="Không kiểm tra được các ô lỗi Excel (#DIV/0!, #REF!…) và công thức chưa tính trong tệp này "
        "({detail}); số liệu vẫn được đọc và tính",
        en="The check for Excel error cells (#DIV/0!, #REF! …) and unsaved formulas could not run on this file "
        "({detail}); the data is still read and counted",
    ),
    "totals-mismatch": Code(
        "warning",
        vi="Dòng '{label}' ghi {stated} ở cột '{column_label}', nhưng cộng các dòng {scope} được {computed}",
        en="The row '{label}' states {stated} in column '{column_label}', but the rows {scope} add up to {computed}",
    ),
    "totals-mismatch-text": Code(
        "warning",
        vi="Dòng '{label}' ghi {stated} ở cột '{column_label}', nhưng cộng các dòng {scope} được {computed}; "
        "chênh lệch đúng bằng các số nhập dạng chữ ở ô {cells} (hàm SUM bỏ qua số dạng chữ)",
        en="The row '{label}' states {stated} in column '{column_label}', but the rows {scope} add up to "
        "{computed}; the difference is exactly the numbers typed as text in {cells} (SUM skips text)",
    ),
    "layout-signoff-keyed": Code(
        "warning",
        vi="'{value}' ở cột '{label}' nằm trong phần ký tên cuối biểu, không đứng dưới chức danh nào, "
        "nên dòng này không được tính; nếu đây là một đơn vị, hãy ghi đủ số liệu của đơn vị",
        en="'{value}' in the column '{label}' stands in the sign-off block at the end of the sheet, under no "
        "title, so the row is not counted; if it is a unit, fill in its figures",
    ),
    "layout-section-keyed": Code(
        "warning",
        vi="'{value}' ở cột '{label}' được đọc là tiêu đề nhóm (đánh số mục ở cột STT, các đơn vị ở dưới), "
        "không phải một đơn vị; nếu đây là một đơn vị, hãy đánh số thứ tự bằng chữ số",
        en="'{value}' in the column '{label}' is read as a section heading (numbered as a section in the STT "
        "column, with units under it), not as a unit; if it is a unit, number it with digits",
    ),
    "layout-total-keyed": Code(
        "warning",
        vi="'{value}' ở cột '{label}' được đọc là dòng cộng của nhóm bên dưới (đánh số mục ở cột STT), "
        "không phải một đơn vị; nếu đây là một đơn vị, hãy đánh số thứ tự bằng chữ số",
        en="'{value}' in the column '{label}' is read as the total of the section under it (numbered as a "
        "section in the STT column), not as a unit; if it is a unit, number it with digits",
    ),
    "totals-not-a-count": Code(
        "warning",
        vi="Dòng '{label}' ghi '{value}' ở cột '{column_label}', không phải một số đếm, nên không đối chiếu được "
        "với các dòng {scope}",
        en="The row '{label}' holds '{value}' in column '{column_label}', which is not a count, so it cannot be "
        "checked against the rows {scope}",
    ),
    "findings-capped": Code(
        "warning",
        vi="… và {extra} lỗi '{code}' khác trong trang này (chỉ liệt kê {shown} lỗi đầu; số dòng bị loại vẫn tính đủ)",
        en="… and {extra} more '{code}' findings in this sheet (only the first {shown} are listed; "
        "the rows left out are all counted)",
    ),
    "file-repeats-file": Code(
        "error",
        vi="Tệp này lặp lại toàn bộ {count} dòng của trang '{sheet}' đã có trong {first}; không tính lần nữa",
        en="This file repeats all {count} rows of the sheet '{sheet}' already given in {first}; not counted again",
    ),
    "duplicate-across-files": Code(
        "error",
        vi="Mã '{value}' ở cột '{label}' đã có trong {first}; dòng này không được tính lần nữa",
        en="The code '{value}' in column '{label}' was already given in {first}; this row is not counted again",
    ),
    # --- files that cannot be used (exit 2) ---------------------------------
    "input-missing": Code(
        "error",
        vi="{file}: không tìm thấy tệp",
        en="{file}: no such file",
    ),
    "input-is-directory": Code(
        "error",
        vi="{file}: là thư mục, không phải tệp Excel",
        en="{file}: is a directory, not a workbook",
    ),
    "input-permission": Code(
        "error",
        vi="{file}: không có quyền đọc tệp",
        en="{file}: permission denied",
    ),
    "input-unreadable": Code(
        "error",
        vi="{file}: không đọc được tệp ({detail})",
        en="{file}: cannot read the file ({detail})",
    ),
    "input-empty": Code(
        "error",
        vi="{file}: tệp rỗng (0 byte)",
        en="{file}: the file is empty (0 bytes)",
    ),
    "input-lock-file": Code(
        "error",
        vi="{file}: đây là tệp khóa tạm của Excel (~$…), không phải biểu số liệu",
        en="{file}: this is an Excel lock file (~$…), not a submission",
    ),
    "input-not-workbook": Code(
        "error",
        vi="{file}: không phải tệp Excel (.xlsx, .xlsm, .xlsb, .xls) hay .ods",
        en="{file}: not an Excel (.xlsx, .xlsm, .xlsb, .xls) or .ods workbook",
    ),
    "input-corrupt": Code(
        "error",
        vi="{file}: tệp bị hỏng hoặc không đầy đủ, không đọc được",
        en="{file}: the workbook is damaged or truncated and cannot be read",
    ),
    "input-encrypted": Code(
        "error",
        vi="{file}: tệp được đặt mật khẩu (mã hóa); hãy gỡ mật khẩu rồi nộp lại",
        en="{file}: the workbook is password-protected (encrypted); remove the password and resubmit",
    ),
    "input-zip-bomb": Code(
        "error",
        vi="{file}: nội dung giải nén quá lớn ({size} byte, giới hạn {limit}; nâng bằng --max-unzipped-mb "
        "nếu tệp đáng tin); từ chối đọc",
        en="{file}: unpacks to too much data ({size} bytes, limit {limit}; raise it with --max-unzipped-mb "
        "if the file is trusted); refused",
    ),
    "input-repeated-rows": Code(
        "error",
        vi="{file}: một dòng có số liệu được lặp lại {rows} lần (giới hạn {limit}); không phải bảng người nhập, "
        "từ chối đọc",
        en="{file}: a row with values is repeated {rows} times (limit {limit}); not a table anyone typed, refused",
    ),
    "input-xml-dtd": Code(
        "error",
        vi="{file}: phần '{part}' khai báo DTD/thực thể XML (dấu hiệu tệp độc hại); từ chối đọc",
        en="{file}: the part '{part}' declares an XML DTD or entities (a sign of a hostile file); refused",
    ),
    "input-crashed": Code(
        "error",
        vi="{file}: trình đọc dừng bất thường khi mở tệp ({detail}); "
        "thường do một ô nằm rất xa (ví dụ XFD1048576) hoặc tệp quá lớn. Hãy xóa các ô thừa rồi nộp lại",
        en="{file}: the reader stopped abnormally on this file ({detail}); "
        "usually a stray cell far away (such as XFD1048576) or a file too large. Delete the stray cells and resubmit",
    ),
    "input-memory-limit": Code(
        "error",
        vi="{file}: đọc tệp cần nhiều hơn giới hạn bộ nhớ --max-memory-mb {mb} ({detail}); "
        "nâng giới hạn nếu tệp đáng tin",
        en="{file}: reading it needs more than the --max-memory-mb {mb} limit ({detail}); "
        "raise the limit if the file is trusted",
    ),
    "input-timeout": Code(
        "error",
        vi="{file}: đọc tệp quá {seconds} giây; đã dừng",
        en="{file}: reading took longer than {seconds} seconds; stopped",
    ),
    "input-password-wrong": Code(
        "error",
        vi="{file}: mật khẩu không đúng, không giải mã được tệp",
        en="{file}: wrong password; the workbook cannot be decrypted",
    ),
    "input-empty-folder": Code(
        "error",
        vi="{file}: thư mục không có tệp .xlsx, .xlsm, .xlsb, .xls hay .ods nào",
        en="{file}: the folder holds no .xlsx, .xlsm, .xlsb, .xls or .ods file",
    ),
    "input-own-report": Code(
        "warning",
        vi="{file}: là báo cáo do qbplan tạo, không phải biểu số liệu; bỏ qua",
        en="{file}: a report qbplan wrote, not a submission; left out",
    ),
    "input-skipped": Code(
        "warning",
        vi="{file}: không đọc ({reason})",
        en="{file}: not read ({reason})",
    ),
    "input-no-match": Code(
        "error",
        vi="{file}: không có tệp nào khớp mẫu này",
        en="{file}: no file matches this pattern",
    ),
    "input-no-form-sheet": Code(
        "error",
        vi="{file}: không có trang nào của biểu mẫu. Cần: {expected}. Tìm thấy: {found}",
        en="{file}: none of the form's sheets. Expected: {expected}. Found: {found}",
    ),
    "input-no-header": Code(
        "error",
        vi="{file}, trang '{sheet}': không tìm thấy dòng tiêu đề (cần các cột như {expected})",
        en="{file}, sheet '{sheet}': no header row found (expected columns such as {expected})",
    ),
    "input-missing-columns": Code(
        "error",
        vi="{file}, trang '{sheet}', dòng tiêu đề {row}: thiếu cột {missing}. Tìm thấy: {found}",
        en="{file}, sheet '{sheet}', header row {row}: missing columns {missing}. Found: {found}",
    ),
}
