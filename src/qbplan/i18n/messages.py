"""The messages of the refusals that stop a run (exit 2), in both languages.

A refusal that is also a finding (an input file that cannot be used) is
worded by its entry in :mod:`qbplan.i18n.findings`.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "register-invalid": {
        "vi": "danh mục đơn vị báo cáo {file} không dùng được",
        "en": "the register of reporting units {file} cannot be used",
    },
    "register-control-character": {
        "vi": "'{value}' ở cột '{label}' có ký tự điều khiển, không ghi được vào biểu mẫu và không ai gõ lại được; "
        "sửa ô này trong danh mục",
        "en": "'{value}' in the column '{label}' holds a control character, which no form can hold and no one can "
        "type back; correct this cell in the register",
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
    "register-row-in-signoff": {
        "vi": "'{value}' ở cột '{label}' nằm trong phần ký tên cuối danh mục, không đứng dưới chức danh nào; "
        "mỗi dòng có mã trong danh mục là một đơn vị, nên hãy ghi đủ dòng của đơn vị này hoặc xóa phần ký tên",
        "en": "'{value}' in the column '{label}' stands in the sign-off block at the end of the register, under no "
        "title; every row with a code in a register is a unit, so complete this unit's row or remove the sign-off",
    },
    "register-row-as-heading": {
        "vi": "'{value}' ở cột '{label}' được đánh số mục ở cột STT như một tiêu đề nhóm; mỗi dòng có mã trong "
        "danh mục là một đơn vị, nên hãy đánh số thứ tự bằng chữ số hoặc chuyển tiêu đề ra khỏi cột mã",
        "en": "'{value}' in the column '{label}' is numbered as a section heading in the STT column; every row with "
        "a code in a register is a unit, so number it with digits or move the heading out of the code column",
    },
    "register-owner-unknown": {
        "vi": "đơn vị báo cáo '{value}' ở cột '{label}' không phải mã nào của trang '{units}'; ghi mã của đơn vị "
        "gửi dòng này",
        "en": "the reporting unit '{value}' in the column '{label}' is no code of the sheet '{units}'; write the code "
        "of the unit that sends this row",
    },
    "register-duplicate-key": {
        "vi": "mã '{value}' ở cột '{label}' lặp lại ô {first}; mỗi đơn vị chỉ ghi một lần trong danh mục",
        "en": "the code '{value}' in column '{label}' repeats cell {first}; list each unit once in a register",
    },
    "register-inconsistent": {
        "vi": "'{value}' ở cột '{label}' trái quy tắc {rule}",
        "en": "'{value}' in column '{label}' breaks the rule {rule}",
    },
    "annotate-not-xlsx": {
        "vi": "{file}: chỉ đánh dấu được tệp .xlsx hoặc .xlsm; hãy lưu tệp dưới dạng .xlsx trong Excel",
        "en": "{file}: only .xlsx or .xlsm workbooks can be annotated; save it as .xlsx in Excel first",
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
    "config-too-deep": {
        "vi": "{file}:{line}: lồng quá {limit} cấp; tệp chỉ tiêu không cần sâu như vậy",
        "en": "{file}:{line}: nested more than {limit} levels deep; a targets file needs nothing so deep",
    },
    "config-number-too-long": {
        "vi": "{file}:{line}: {path}: số dài quá {limit} chữ số",
        "en": "{file}:{line}: {path}: a number longer than {limit} digits",
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
    "config-scoring-without-block": {
        "vi": "{file}:{line}: {path}: chỉ tiêu có 'scoring' hoặc 'pillar' nhưng tệp không có khối 'scoring' "
        "(bảng điểm, trụ cột, xếp loại){more_text}",
        "en": "{file}:{line}: {path}: an indicator has 'scoring' or 'pillar' but the file has no 'scoring' block "
        "(the units' sheet, pillars, grades){more_text}",
    },
    "config-grades-order": {
        "vi": "{file}:{line}: {path}: các mức xếp loại phải đi từ 'min' cao xuống thấp, không trùng nhau{more_text}",
        "en": "{file}:{line}: {path}: grades go from the highest 'min' down, none repeated{more_text}",
    },
    "config-grades-from-zero": {
        "vi": "{file}:{line}: {path}: mức xếp loại thấp nhất phải bắt đầu từ 0, để mọi chỉ số đều có xếp loại"
        "{more_text}",
        "en": "{file}:{line}: {path}: the lowest grade must start at 0, so that every index has a grade{more_text}",
    },
    "config-criterion-no-rule": {
        "vi": "{file}:{line}: {path}: tiêu chí '{indicator}' cần 'scoring' (max, method){more_text}",
        "en": "{file}:{line}: {path}: criterion '{indicator}' needs 'scoring' (max, method){more_text}",
    },
    "config-pillar-without-rule": {
        "vi": "{file}:{line}: {path}: chỉ tiêu '{indicator}' có 'pillar' nhưng không có 'scoring'{more_text}",
        "en": "{file}:{line}: {path}: indicator '{indicator}' has a 'pillar' but no 'scoring'{more_text}",
    },
    "config-no-pillar": {
        "vi": "{file}:{line}: {path}: chỉ tiêu '{indicator}' được chấm điểm cần 'pillar'{more_text}",
        "en": "{file}:{line}: {path}: scored indicator '{indicator}' needs a 'pillar'{more_text}",
    },
    "config-unknown-pillar": {
        "vi": "{file}:{line}: {path}: không có trụ cột '{pillar}' trong scoring.pillars{more_text}",
        "en": "{file}:{line}: {path}: scoring.pillars has no pillar '{pillar}'{more_text}",
    },
    "config-criterion-sheet": {
        "vi": "{file}:{line}: {path}: chỉ tiêu '{indicator}' được chấm điểm phải tính trên biểu '{sheet}' "
        "(biểu của các đơn vị được xếp hạng){more_text}",
        "en": "{file}:{line}: {path}: scored indicator '{indicator}' must be on sheet '{sheet}' "
        "(the sheet of the units ranked){more_text}",
    },
    "config-bands": {
        "vi": "{file}:{line}: {path}: 'bands' đi cùng method: bands, và chỉ với nó{more_text}",
        "en": "{file}:{line}: {path}: 'bands' goes with method: bands, and only with it{more_text}",
    },
    "config-band-above-max": {
        "vi": "{file}:{line}: {path}: điểm của một mức vượt 'max' của tiêu chí{more_text}",
        "en": "{file}:{line}: {path}: a band's points are above the criterion's 'max'{more_text}",
    },
    "config-bands-order": {
        "vi": "{file}:{line}: {path}: các mức phải đi từ 'min' cao xuống thấp, không trùng nhau{more_text}",
        "en": "{file}:{line}: {path}: bands go from the highest 'min' down, none repeated{more_text}",
    },
    "config-unit-target-criterion": {
        "vi": "{file}:{line}: {path}: '{criterion}' không phải tiêu chí chấm điểm kiểu capped; mục tiêu riêng "
        "của từng đơn vị chỉ dùng với method: capped{more_text}",
        "en": "{file}:{line}: {path}: '{criterion}' is not a capped criterion; a per-unit target is for "
        "method: capped only{more_text}",
    },
    "rank-bad-unit-target": {
        "vi": "{file}: đơn vị {unit}, cột '{column}': '{value}' không phải tỷ lệ phần trăm từ 0 đến 100",
        "en": "{file}: unit {unit}, column '{column}': '{value}' is not a percentage from 0 to 100",
    },
    "config-max-zero": {
        "vi": "{file}:{line}: {path}: 'max' của tiêu chí phải lớn hơn 0{more_text}",
        "en": "{file}:{line}: {path}: a criterion's 'max' must be above 0{more_text}",
    },
    "config-duplicate-id": {
        "vi": "{file}:{line}: {path}: mã '{id}' bị lặp{more_text}",
        "en": "{file}:{line}: {path}: duplicate id '{id}'{more_text}",
    },
    "config-unknown-sheet": {
        "vi": "{file}:{line}: {path}: không có trang '{sheet}' trong form{more_text}",
        "en": "{file}:{line}: {path}: the form has no sheet '{sheet}'{more_text}",
    },
    "config-unknown-group": {
        "vi": "{file}:{line}: {path}: không có nhóm chỉ tiêu '{group}' trong groups{more_text}",
        "en": "{file}:{line}: {path}: groups has no target group '{group}'{more_text}",
    },
    "config-no-group": {
        "vi": "{file}:{line}: {path}: chỉ tiêu '{indicator}' chưa có nhóm (group), trong khi tệp có groups{more_text}",
        "en": "{file}:{line}: {path}: the indicator '{indicator}' names no group, while the file has groups{more_text}",
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
    "serve-secret-missing": {
        "vi": "{file}: không có khóa bí mật của đợt tiếp nhận này, mà các đường dẫn đã gửi cho đơn vị được tạo từ "
        "nó; khôi phục tệp từ bản sao lưu, hoặc chạy lại với --rotate-links để tạo đường dẫn mới (mọi đường dẫn "
        "cũ sẽ hết hiệu lực)",
        "en": "{file}: this intake's secret is missing, and the links sent to the units were made from it; restore "
        "the file from a backup, or start with --rotate-links to make new links (every old link stops working)",
    },
    "serve-secret-other": {
        "vi": "{file}: khóa bí mật này không phải khóa mà cơ sở dữ liệu tiếp nhận đã ghi nhận; khôi phục đúng tệp, "
        "hoặc chạy lại với --rotate-links để tạo đường dẫn mới (mọi đường dẫn cũ sẽ hết hiệu lực)",
        "en": "{file}: this secret is not the one the intake database knows; restore the right file, or start "
        "with --rotate-links to make new links (every old link stops working)",
    },
    "serve-secret-open": {
        "vi": "{file}: khóa bí mật đang cho mọi tài khoản đọc (quyền {mode}); chạy chmod 600 {file} rồi chạy lại",
        "en": "{file}: the secret is readable by other accounts (mode {mode}); run chmod 600 {file} and start again",
    },
    "serve-secret-damaged": {
        "vi": "{file}: khóa bí mật hỏng ({size} byte, cần {expected}); khôi phục từ bản sao lưu, hoặc chạy lại với "
        "--rotate-links để tạo đường dẫn mới (mọi đường dẫn cũ sẽ hết hiệu lực)",
        "en": "{file}: the secret is damaged ({size} bytes, {expected} expected); restore it from a backup, or start "
        "with --rotate-links to make new links (every old link stops working)",
    },
    "serve-secret-unwritable": {
        "vi": "{file}: không ghi được khóa bí mật ({detail}); chưa có gì được tạo",
        "en": "{file}: the secret cannot be written ({detail}); nothing was made",
    },
    "serve-weak-token": {
        "vi": "mã truy cập của cán bộ tổng hợp chỉ có {length} ký tự, cần ít nhất {minimum}: mã ngắn đoán được "
        "trong vài giây; bỏ --planner-token để qbplan tạo mã ngẫu nhiên",
        "en": "the planner's access token has {length} characters, {minimum} at least are needed: a short one is "
        "guessed in seconds; leave out --planner-token for a random one",
    },
    "serve-folder-unwritable": {
        "vi": "{folder}: không ghi được vào thư mục tiếp nhận ({detail}); mọi lần gửi sẽ hỏng",
        "en": "{folder}: the intake folder cannot be written ({detail}); every upload would fail",
    },
    "serve-not-started": {
        "vi": "{folder}: đợt tiếp nhận chưa chạy lần nào nên chưa có đường dẫn của đơn vị; chạy qbplan serve trước",
        "en": "{folder}: the intake has never been started, so no unit has a link yet; run qbplan serve first",
    },
    "serve-no-intake": {
        "vi": "không có tiếp nhận nào trong thư mục {folder} (chưa có intake.db): chạy qbplan serve trước, hoặc "
        "chỉ đúng thư mục bằng --folder hay cơ sở dữ liệu bằng --db",
        "en": "there is no intake in the folder {folder} (no intake.db): run qbplan serve first, or name the "
        "right folder with --folder or database with --db",
    },
    "serve-account-refused": {"vi": "{detail}", "en": "{detail}"},
    "usage-remind-smtp": {
        "vi": "cần máy chủ thư: đặt QBPLAN_SMTP_HOST và QBPLAN_SMTP_FROM (và nếu cần QBPLAN_SMTP_PORT, "
        "QBPLAN_SMTP_USER, QBPLAN_SMTP_PASSWORD, QBPLAN_SMTP_STARTTLS=1), hoặc chạy thử với --dry-run",
        "en": "a mail server is needed: set QBPLAN_SMTP_HOST and QBPLAN_SMTP_FROM (and if need be QBPLAN_SMTP_PORT, "
        "QBPLAN_SMTP_USER, QBPLAN_SMTP_PASSWORD, QBPLAN_SMTP_STARTTLS=1), or try it with --dry-run",
    },
    "remind-smtp-failed": {
        "vi": "{host}: máy chủ thư không nhận ({detail}); các thư đã gửi trước đó được ghi lại",
        "en": "{host}: the mail server refused ({detail}); the messages sent before are kept",
    },
    "usage-remind-no-base": {
        "vi": "cần --base-url: địa chỉ mà đơn vị mở đường dẫn riêng (ví dụ https://tiepnhan.tinh.gov.vn)",
        "en": "--base-url is needed: the address units open their links by (e.g. https://intake.province.gov.vn)",
    },
    "usage-users-role": {
        "vi": "cần --role: viewer (xem), reviewer (duyệt) hoặc admin (quản trị)",
        "en": "--role is needed: viewer, reviewer or admin",
    },
    "usage-users-disable-enable": {
        "vi": "--disable và --enable không dùng cùng nhau",
        "en": "--disable and --enable cannot be used together",
    },
    "usage-serve-needs-register": {
        "vi": "qbplan serve cần danh mục đơn vị báo cáo (--register): mỗi đơn vị có một đường dẫn riêng",
        "en": "qbplan serve needs the register of reporting units (--register): each unit gets its own link",
    },
    "usage-bad-date": {
        "vi": "'{value}' không phải ngày; viết YYYY-MM-DD, ví dụ 2025-12-15",
        "en": "'{value}' is not a date; write YYYY-MM-DD, e.g. 2025-12-15",
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
    "history-db-readonly": {
        "vi": "{file}: không ghi được vào cơ sở dữ liệu lịch sử (chỉ đọc); lần chạy này chưa được lưu",
        "en": "{file}: the history database cannot be written (read-only); this run was not saved",
    },
    "history-db-not-written": {
        "vi": "{file}: không ghi được vào cơ sở dữ liệu lịch sử ({detail}); lần chạy này chưa được lưu, "
        "các lần đã lưu vẫn nguyên",
        "en": "{file}: the history database could not be written ({detail}); this run was not saved, "
        "the saved runs are intact",
    },
    "history-db-scheme": {
        "vi": "{file}: cơ sở dữ liệu lịch sử là một tệp SQLite hoặc một máy chủ postgresql://…",
        "en": "{file}: the history database is an SQLite file or a postgresql://… server",
    },
    "history-db-memory": {
        "vi": "{file}: cơ sở dữ liệu lịch sử phải là một tệp; ':memory:' không giữ lại gì sau lần chạy",
        "en": "{file}: the history database must be a file; ':memory:' keeps nothing after the run",
    },
    "intake-db-unusable": {
        "vi": "{db}: không dùng được cơ sở dữ liệu tiếp nhận ({detail})",
        "en": "{db}: the intake database cannot be used ({detail})",
    },
    "intake-db-not-file": {
        "vi": "{db}: không phải tệp thường; cơ sở dữ liệu tiếp nhận là một tệp SQLite",
        "en": "{db}: not a regular file; the intake database is one SQLite file",
    },
    "intake-db-unreadable": {
        "vi": "{db}: không đọc được cơ sở dữ liệu tiếp nhận ({detail})",
        "en": "{db}: cannot read the intake database ({detail})",
    },
    "intake-db-foreign": {
        "vi": "{db}: không phải cơ sở dữ liệu tiếp nhận của qbplan; không ghi gì vào tệp này",
        "en": "{db}: not a qbplan intake database; nothing is written to it",
    },
    "intake-backup-none": {
        "vi": "{db}: không có cơ sở dữ liệu tiếp nhận nào ở đây để sao lưu",
        "en": "{db}: no intake database here to back up",
    },
    "intake-backup-server": {
        "vi": "{db}: cơ sở dữ liệu là máy chủ PostgreSQL, giữ cả tệp và khóa bí mật; sao lưu bằng "
        "pg_dump -Fc -f dot.dump '<URL>' và khôi phục bằng pg_restore (xem docs/deploy.md)",
        "en": "{db}: the database is a PostgreSQL server, which holds the files and the secret too; back it "
        "up with pg_dump -Fc -f round.dump '<URL>' and restore with pg_restore (see docs/deploy.md)",
    },
    "intake-backup-exists": {
        "vi": "{db}: đã có; bản sao lưu không ghi đè lên gì, hãy chọn tên mới",
        "en": "{db}: already there; a backup writes over nothing, choose a new name",
    },
    "intake-backup-failed": {
        "vi": "{db}: không sao lưu/khôi phục được ({detail}); không để lại gì",
        "en": "{db}: the backup or restore could not be made ({detail}); nothing was left behind",
    },
    "intake-restore-not-backup": {
        "vi": "{db}: không phải bản sao lưu của qbplan serve backup ({detail})",
        "en": "{db}: not a backup made by qbplan serve backup ({detail})",
    },
    "intake-restore-not-empty": {
        "vi": "{db}: thư mục đã có dữ liệu; khôi phục vào một thư mục mới hoặc trống",
        "en": "{db}: the folder holds something already; restore into a new or empty folder",
    },
    "intake-restore-damaged": {
        "vi": "{db}: tệp trong bản sao lưu bị thiếu hoặc đã thay đổi; không khôi phục gì",
        "en": "{db}: a file of the backup is missing or changed; nothing was restored",
    },
    "history-db-no-backup": {
        "vi": "{file}: không tạo được bản sao {backup} trước khi nâng cấp lược đồ ({detail}); "
        "cơ sở dữ liệu vẫn nguyên, lần chạy này chưa được lưu",
        "en": "{file}: could not make the copy {backup} before migrating the schema ({detail}); "
        "the database is intact, this run was not saved",
    },
    "history-db-busy": {
        "vi": "{file}: cơ sở dữ liệu đang bận quá lâu (một lần lưu khác chưa xong); thử lại",
        "en": "{file}: the database stayed busy too long (another save has not finished); try again",
    },
    "config-since-last": {
        "vi": "{file}:{line}: {path}: since_last của cột '{column}' ({type}): max_ratio, max_share và no_fall "
        "dành cho cột số (int), no_return cho cột có/không (yesno), và cần ít nhất một quy tắc{more_text}",
        "en": "{file}:{line}: {path}: since_last of column '{column}' ({type}): max_ratio, max_share and no_fall "
        "are for counts (int), no_return for a yes/no (yesno), and at least one rule is needed{more_text}",
    },
    "config-unit-map-no-follows": {
        "vi": "{file}:{line}: {path}: unit_map chỉ dùng được khi kế hoạch có 'follows' (kế hoạch trước sắp xếp)",
        "en": "{file}:{line}: {path}: unit_map needs 'follows' (the plan before the reorganisation)",
    },
    "config-unit-map-chain": {
        "vi": "{file}:{line}: {path}: '{old}' chuyển thành '{new}', nhưng '{new}' lại chuyển thành đơn vị khác; "
        "mỗi đơn vị cũ chỉ ghi một đơn vị mới",
        "en": "{file}:{line}: {path}: '{old}' becomes '{new}', but '{new}' itself becomes another unit; "
        "give each former unit its final unit",
    },
    "history-ranks-other-plan": {
        "vi": "{file}: chưa lưu lần xếp hạng nào của kế hoạch {plan}; đã lưu xếp hạng của: {found}. Thêm -t với "
        "tệp chỉ tiêu của kế hoạch cần xem",
        "en": "{file}: no ranking of the plan {plan} was saved; rankings are saved of: {found}. Add -t with the "
        "targets file of the plan to show",
    },
    "history-no-ranks": {
        "vi": "{file}: chưa lưu lần xếp hạng nào của kế hoạch {plan}; lưu bằng qbplan rank … --period KỲ --save",
        "en": "{file}: no ranking of the plan {plan} was saved; save one with qbplan rank … --period PERIOD --save",
    },
    "usage-rank-save-by": {
        "vi": "--save lưu điểm của từng đơn vị; bỏ --by (xếp hạng theo nhóm không được lưu)",
        "en": "--save keeps each unit's score; drop --by (a ranking of groups is not saved)",
    },
    "usage-ranks-format": {
        "vi": "history --ranks cho ra table, json hoặc csv, không phải {format}",
        "en": "history --ranks gives table, json or csv, not {format}",
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
    "usage-output-is-register": {
        "vi": "{file}: tệp kết quả trùng với danh sách đơn vị đang đọc; chọn tên khác để không ghi đè nó",
        "en": "{file}: the output is the register being read; choose another name so it is not overwritten",
    },
    "usage-output-is-targets": {
        "vi": "{file}: tệp kết quả trùng với tệp chỉ tiêu đang dùng; chọn tên khác để không ghi đè nó",
        "en": "{file}: the output is the targets file in use; choose another name so it is not overwritten",
    },
    "usage-output-is-database": {
        "vi": "{file}: tệp kết quả trùng với cơ sở dữ liệu lịch sử; chọn tên khác để không mất các lần đã lưu",
        "en": "{file}: the output is the history database; choose another name so no saved run is lost",
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
        "vi": "định dạng {format} là tệp nhị phân, không in ra màn hình: thêm --output TỆP (hoặc chuyển qua ống |)",
        "en": "the {format} format is binary and not for a terminal: add --output FILE (or pipe it)",
    },
    "output-unwritable": {
        "vi": "{output}: không ghi được kết quả ({detail}); tệp cũ (nếu có) giữ nguyên",
        "en": "{output}: the result could not be written ({detail}); an earlier file is kept",
    },
    "rank-no-scoring": {
        "vi": "{file}: tệp chỉ tiêu không có khối 'scoring' (bộ tiêu chí chấm điểm); "
        "xem ví dụ samples/cham-diem/targets.yaml",
        "en": "{file}: the targets file has no 'scoring' block (the criteria to score); "
        "see the example samples/cham-diem/targets.yaml",
    },
    "rank-no-unit-key": {
        "vi": "trang '{sheet}' không có cột mã (unique) để phân biệt các đơn vị được xếp hạng",
        "en": "sheet '{sheet}' has no key column (unique) that tells the units ranked apart",
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
