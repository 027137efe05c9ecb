"""The words of the interface: titles, column heads, statuses, and the documents qbplan writes."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    # qbplan rank
    "rank.col.rank": {"vi": "Hạng", "en": "Rank"},
    "rank.col.key": {"vi": "Mã", "en": "Code"},
    "rank.col.name": {"vi": "Tên đơn vị", "en": "Unit"},
    "rank.col.group": {"vi": "Nhóm", "en": "Group"},
    "rank.col.total": {"vi": "Tổng điểm", "en": "Total"},
    "rank.col.most": {"vi": "Điểm tối đa", "en": "Most points"},
    "rank.col.index": {"vi": "Chỉ số (0–1)", "en": "Index (0–1)"},
    "rank.col.grade": {"vi": "Xếp loại", "en": "Grade"},
    "rank.short.index": {"vi": "Chỉ số", "en": "Index"},
    "rank.self_title": {
        "vi": "Đối chiếu điểm tự đánh giá: {count} phát hiện",
        "en": "Self-assessments checked: {count} findings",
    },
    "rank.self_sheet": {"vi": "Đối chiếu tự đánh giá", "en": "Self-assessments"},
    "rank.col.where": {"vi": "Vị trí", "en": "Where"},
    "rank.col.message": {"vi": "Nội dung", "en": "Message"},
    "rank.history_note": {
        "vi": "Mỗi kỳ: chỉ số (0–1), hạng và xếp loại của lần xếp hạng sau cùng đã lưu. Cơ sở dữ liệu: {db}",
        "en": "Each period: the index (0–1), rank and grade of its latest saved ranking. Database: {db}",
    },
    "rank.pillars_elsewhere": {
        "vi": "Điểm từng trụ cột: mở rộng cửa sổ, hoặc xem -f xlsx, -f csv, -f cards (phiếu điểm).",
        "en": "Points per pillar: widen the terminal, or see -f xlsx, -f csv, -f cards (scorecards).",
    },
    "rank.pillars_in_files": {
        "vi": "Điểm từng trụ cột: xem -f xlsx, -f csv, -f cards (phiếu điểm), hoặc đặt COLUMNS rộng hơn.",
        "en": "Points per pillar: see -f xlsx, -f csv, -f cards (scorecards), or set a wider COLUMNS.",
    },
    "rank.col.note": {"vi": "Ghi chú", "en": "Note"},
    "rank.col.criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "rank.col.pillar": {"vi": "Trụ cột", "en": "Pillar"},
    "rank.col.data": {"vi": "Số liệu", "en": "Data"},
    "rank.col.rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "rank.col.rule": {"vi": "Cách tính điểm", "en": "Rule"},
    "rank.col.points": {"vi": "Điểm", "en": "Points"},
    "rank.col.max": {"vi": "Tối đa", "en": "Max"},
    "rank.missing": {"vi": "không gửi số liệu: 0 điểm", "en": "sent nothing: 0 points"},
    "rank.missing_units": {"vi": "{count} đơn vị chưa gửi số liệu", "en": "{count} units sent nothing"},
    "rank.omitted": {
        "vi": "Không xếp hạng (chưa gửi số liệu, theo quy định của bộ tiêu chí): {units}",
        "en": "Not ranked (sent nothing, as the scoring plan says): {units}",
    },
    "rank.not_applicable": {"vi": "không áp dụng", "en": "does not apply"},
    "rank.no_data": {"vi": "không có số liệu", "en": "no data"},
    "rank.rule.linear": {"vi": "tỷ lệ × {max}", "en": "rate × {max}"},
    "rank.rule.capped": {
        "vi": "min(tỷ lệ / {target}; 1) × {max}",
        "en": "min(rate / {target}, 1) × {max}",
    },
    "rank.rule.bands": {"vi": "theo mức: {bands}", "en": "by band: {bands}"},
    "rank.rule.best": {
        "vi": "tỷ lệ / tỷ lệ cao nhất ({best}) × {max}",
        "en": "rate / the best rate ({best}) × {max}",
    },
    "rank.band": {"vi": "từ {min}: {points} điểm", "en": "from {min}: {points} points"},
    "rank.rounding": {
        "vi": "Điểm và chỉ số tính chính xác (phân số); hiển thị làm tròn: điểm 2 chữ số, chỉ số 4 chữ số thập "
        "phân. Xếp hạng theo chỉ số chính xác; bằng nhau thì cùng hạng (1, 2, 2, 4).",
        "en": "Points and indices are exact (fractions); shown rounded: points to 2 decimals, the index to 4. "
        "Ranked by the exact index; equal ones share a rank (1, 2, 2, 4).",
    },
    "rank.summary": {
        "vi": "{ranked} đơn vị được xếp hạng; {grades}.",
        "en": "{ranked} units ranked; {grades}.",
    },
    "rank.card_title": {"vi": "Phiếu điểm: {name}", "en": "Scorecard: {name}"},
    "rank.card_result": {
        "vi": "Tổng điểm {total}/{most}; chỉ số {index}; xếp loại {grade}; hạng {rank}/{count}.",
        "en": "Total {total}/{most}; index {index}; grade {grade}; rank {rank} of {count}.",
    },
    "col.id": {"vi": "Mã", "en": "ID"},
    "col.title": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "col.rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "col.target": {"vi": "Mục tiêu", "en": "Target"},
    "col.fraction": {"vi": "Tử số/Mẫu số", "en": "Num./Denom."},
    "col.status": {"vi": "Kết quả", "en": "Status"},
    "col.excluded": {"vi": "Dòng loại", "en": "Rows out"},
    "col.group": {"vi": "Nhóm", "en": "Group"},
    "col.where": {"vi": "Vị trí", "en": "Where"},
    "history.ranks_of": {
        "vi": "xếp hạng đã lưu của kế hoạch {plan} (kế hoạch duy nhất có xếp hạng trong cơ sở dữ liệu)",
        "en": "the rankings saved of the plan {plan} (the only plan with rankings in the database)",
    },
    "finding.explained": {"vi": "Đơn vị giải trình: {text}", "en": "The unit explains: {text}"},
    "serve.explain": {"vi": "Giải trình", "en": "Explain"},
    "serve.explain_hint": {
        "vi": "Nếu số liệu đúng, giải trình trong một câu: cán bộ tổng hợp đọc khi duyệt.",
        "en": "If the figure is right, explain it in a sentence: the planner reads it when deciding.",
    },
    "serve.explain_closed": {
        "vi": "Bài này đã được chấp nhận hoặc thay bằng bài khác: không giải trình thêm được.",
        "en": "This submission is accepted or replaced already: it takes no more explanations.",
    },
    "output.wrote": {"vi": "đã ghi {output}", "en": "wrote {output}"},
    "output.kept": {
        "vi": "không ghi {output}: lần chạy không thực hiện được, tệp cũ giữ nguyên",
        "en": "{output} not written: the run could not run, the earlier file is kept",
    },
    "col.code": {"vi": "Mã", "en": "Code"},  # errors and warnings alike stand under it
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
    "history.break": {
        "vi": "(*) Từ kỳ này số liệu tính theo kế hoạch {plans}, cơ cấu khác kỳ trước: chuỗi bị ngắt, "
        "thay đổi so với kỳ trước không cùng cơ cấu",
        "en": "(*) From this period on the data are counted under the plan {plans}, in another structure: "
        "the series breaks, and the change since the period before crosses the break",
    },
    "history.break_mark": {"vi": "Chuỗi bị ngắt: đổi cơ cấu", "en": "Series break: the structure changed"},
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
    "col.bounds": {"vi": "Khoảng tỷ lệ khi còn thiếu đơn vị", "en": "Rate range while units are missing"},
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
    "form.authority_named": {"vi": "CƠ QUAN, ĐƠN VỊ BÁO CÁO: {unit}", "en": "REPORTING AGENCY: {unit}"},
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
    "annex.heading": {"vi": "Phụ lục", "en": "Annex"},
    "annex.title": {
        "vi": "Kết quả thực hiện các chỉ tiêu {period} của {plan}",
        "en": "Results of the targets {period} of {plan}",
    },
    "annex.period.deadline": {"vi": "đến năm {year}", "en": "to {year}"},
    "annex.reference": {
        "vi": "(Kèm theo Báo cáo số {number} ngày {date} của {issuer})",
        "en": "(Attached to report no. {number} of {date} by {issuer})",
    },
    "annex.blank_date": {"vi": "…… tháng …… năm ……", "en": "……"},
    "annex.note": {"vi": "Ghi chú: ", "en": "Note: "},
    "annex.break": {
        "vi": "Kỳ trước ({period}) tính theo kế hoạch {plan}, cơ cấu khác kỳ này: chuỗi số liệu bị ngắt",
        "en": "The previous period ({period}) was counted under the plan {plan}, in another structure: "
        "the series breaks here",
    },
    "annex.place_date": {"vi": "……, ngày …… tháng …… năm ……", "en": "……, date ……"},
    "annex.col.stt": {"vi": "STT", "en": "No."},
    "annex.col.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "annex.col.unit": {"vi": "Đơn vị tính", "en": "Unit"},
    "annex.col.goal": {"vi": "Mục tiêu", "en": "Target"},
    "annex.col.previous": {"vi": "Thực hiện kỳ trước", "en": "Achieved, previous period"},
    "annex.col.done": {"vi": "Thực hiện kỳ này", "en": "Achieved, this period"},
    "annex.col.rate": {"vi": "Tỷ lệ so với mục tiêu", "en": "Share of the target"},
    "annex.col.verdict": {"vi": "Đánh giá", "en": "Assessment"},
    "annex.col.note": {"vi": "Ghi chú", "en": "Note"},
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
    "title.sheet_rows": {"vi": "Các dòng đã đọc, theo cách đọc", "en": "Rows read, by how they were read"},
    "col.header_row": {"vi": "Dòng tiêu đề", "en": "Header row"},
    "col.read_as": {"vi": "Đọc là", "en": "Read as"},
    "col.count": {"vi": "Số dòng", "en": "Rows"},
    "col.rows_at": {"vi": "Các dòng", "en": "Row numbers"},
    "rows.data": {"vi": "Số liệu", "en": "Data"},
    "rows.header": {"vi": "Tiêu đề lặp lại", "en": "Repeated header"},
    "rows.column-numbers": {"vi": "Số thứ tự cột", "en": "Column numbers"},
    "rows.section": {"vi": "Tiêu đề nhóm", "en": "Section heading"},
    "rows.total": {"vi": "Dòng cộng", "en": "Total"},
    "rows.signoff": {"vi": "Phần ký tên", "en": "Sign-off"},
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
    "summary.annex_right": {
        "vi": "PHỤ LỤC KHỚP SỐ LIỆU: {annex}, {claims} chỉ tiêu đã đối chiếu, không có sai lệch.",
        "en": "THE ANNEX MATCHES THE DATA: {annex}, {claims} indicators checked, none wrong.",
    },
    "summary.annex_wrong": {
        "vi": "PHỤ LỤC KHÔNG KHỚP SỐ LIỆU: {annex}, {claims} chỉ tiêu đã đối chiếu, {wrong} sai lệch (xem Lỗi).",
        "en": "THE ANNEX DOES NOT MATCH THE DATA: {annex}, {claims} indicators checked, {wrong} wrong (see Errors).",
    },
    "summary.annex_data": {"vi": "Số liệu:", "en": "The data:"},
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
    # qbplan serve: the intake's pages.
    "serve.title": {"vi": "Tiếp nhận biểu số liệu", "en": "Submission intake"},
    "serve.unit_intro": {
        "vi": "Tải biểu mẫu của đơn vị, điền số liệu rồi gửi lại tại đây. Kết quả kiểm tra hiện ngay sau khi gửi.",
        "en": "Download your unit's form, fill it in and send it back here. The check's verdict shows at once.",
    },
    "serve.download_form": {"vi": "Tải biểu mẫu của đơn vị", "en": "Download your unit's form"},
    "serve.upload": {"vi": "Gửi biểu số liệu", "en": "Send the workbook"},
    "serve.choose_file": {"vi": "Chọn tệp (.xlsx, .xls, .ods)", "en": "Choose a file (.xlsx, .xls, .ods)"},
    "serve.history": {"vi": "Các lần đã gửi", "en": "Sent so far"},
    "serve.none_yet": {"vi": "Chưa gửi lần nào.", "en": "Nothing sent yet."},
    "remind.subject": {
        "vi": "Nhắc gửi biểu số liệu CNTT {period}: {unit}",
        "en": "Reminder: the IT survey for {period}: {unit}",
    },
    "remind.greeting": {"vi": "Kính gửi {unit},", "en": "To {unit},"},
    "remind.missing": {
        "vi": "Đơn vị chưa gửi biểu số liệu kỳ {period}; hạn nộp: {due}.",
        "en": "Your unit has not sent its survey for {period}; due: {due}.",
    },
    "remind.returned": {
        "vi": "Biểu số liệu kỳ {period} của đơn vị đã được trả lại để sửa ({note}); hạn nộp: {due}.",
        "en": "Your survey for {period} was sent back to be corrected ({note}); due: {due}.",
    },
    "remind.sheets": {"vi": "Các trang đơn vị báo cáo: {sheets}.", "en": "The sheets your unit reports: {sheets}."},
    "remind.link": {
        "vi": "Tải biểu mẫu và gửi biểu tại đường dẫn riêng của đơn vị (không chia sẻ đường dẫn này):",
        "en": "Download the form and send the survey at your unit's own link (do not share it):",
    },
    "remind.signature": {
        "vi": "Thư gửi tự động từ trang tiếp nhận qbplan.",
        "en": "Sent automatically by the qbplan intake.",
    },
    "remind.col.status.sent": {"vi": "đã gửi", "en": "sent"},
    "remind.col.status.dry": {"vi": "sẽ gửi (chạy thử)", "en": "would send (dry run)"},
    "remind.reason.missing": {"vi": "chưa gửi", "en": "not sent"},
    "remind.reason.returned": {"vi": "bị trả lại", "en": "sent back"},
    "remind.out_of_window": {
        "vi": "hôm nay ngoài thời gian nhắc ({before} ngày trước đến {after} ngày sau hạn nộp {due}): không gửi gì",
        "en": "today is outside the reminders' window ({before} days before to {after} days after the due date "
        "{due}): nothing sent",
    },
    "remind.no_email": {
        "vi": "{count} đơn vị cần nhắc nhưng danh mục không có thư điện tử (cột 'Thư điện tử'): {units}",
        "en": "{count} unit(s) to remind have no e-mail in the register (column 'Thư điện tử'): {units}",
    },
    "serve.reminded": {"vi": "đã nhắc {when}", "en": "reminded {when}"},
    "serve.every_state": {"vi": "Mọi trạng thái", "en": "Every state"},
    "serve.late_only": {"vi": "Chỉ đơn vị trễ hạn", "en": "Late only"},
    "serve.search": {"vi": "Mã hoặc tên", "en": "Code or name"},
    "serve.filter": {"vi": "Lọc", "en": "Filter"},
    "serve.pages": {"vi": "Các trang", "en": "Pages"},
    "serve.shown_count": {"vi": "Đang hiện {shown}/{total} đơn vị.", "en": "Showing {shown} of {total} units."},
    "serve.none_accepted": {
        "vi": "Chưa chấp nhận bài nào: các chỉ tiêu được tính từ những bài đã chấp nhận.",
        "en": "Nothing accepted yet: the indicators are computed from the accepted submissions.",
    },
    "serve.verdict": {"vi": "Kết quả kiểm tra", "en": "The check's verdict"},
    "serve.clean": {
        "vi": "Biểu số liệu hợp lệ: không có ô nào sai.",
        "en": "The workbook is valid: no cell is wrong.",
    },
    "serve.has_errors": {
        "vi": "Có {errors} lỗi: sửa các ô dưới đây rồi gửi lại.",
        "en": "Errors found: {errors}. Correct the cells below and send it again.",
    },
    "serve.annotated": {
        "vi": "Tải bản có đánh dấu các ô lỗi",
        "en": "Download the copy with the bad cells marked",
    },
    "serve.receipt": {
        "vi": "Biên nhận: lần gửi #{id}, {when}, tệp {name}, SHA-256 {sha}",
        "en": "Receipt: submission #{id}, {when}, file {name}, SHA-256 {sha}",
    },
    "serve.back": {"vi": "Quay lại trang của đơn vị", "en": "Back to your unit's page"},
    "serve.col.when": {"vi": "Thời điểm", "en": "When"},
    "serve.col.file": {"vi": "Tệp", "en": "File"},
    "serve.col.state": {"vi": "Tình trạng", "en": "State"},
    "serve.col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "serve.col.note": {"vi": "Ghi chú", "en": "Note"},
    "serve.col.act": {"vi": "Việc", "en": "Act"},
    "serve.col.deadline": {"vi": "Hạn nộp", "en": "Due"},
    "serve.col.where": {"vi": "Vị trí", "en": "Where"},
    "serve.col.message": {"vi": "Nội dung", "en": "Message"},
    "serve.state.missing": {"vi": "Chưa gửi", "en": "Not yet sent"},
    "serve.state.errors": {"vi": "Đã gửi, có lỗi", "en": "Sent, with errors"},
    "serve.state.clean": {"vi": "Đã gửi, hợp lệ", "en": "Sent, valid"},
    "serve.state.accepted": {"vi": "Đã chấp nhận", "en": "Accepted"},
    "serve.state.returned": {"vi": "Trả lại để sửa", "en": "Sent back"},
    "serve.on_time": {"vi": "Đúng hạn", "en": "On time"},
    "serve.late": {"vi": "Trễ hạn", "en": "Late"},
    "serve.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "serve.planner": {"vi": "Theo dõi đợt báo cáo", "en": "The reporting round"},
    "serve.login": {"vi": "Đăng nhập cán bộ tổng hợp", "en": "Planner's sign-in"},
    "serve.token": {"vi": "Mật khẩu", "en": "Password"},
    "serve.sign_in": {"vi": "Đăng nhập", "en": "Sign in"},
    "serve.bad_token": {"vi": "Mã truy cập không đúng.", "en": "The access token is wrong."},
    "serve.accept": {"vi": "Chấp nhận", "en": "Accept"},
    "serve.return": {"vi": "Trả lại", "en": "Send back"},
    "serve.indicators": {
        "vi": "Chỉ tiêu của tỉnh theo các biểu đã chấp nhận",
        "en": "The province's indicators from the accepted submissions",
    },
    "serve.downloads": {"vi": "Tải về", "en": "Downloads"},
    "serve.accepted_zip": {"vi": "Các tệp đã chấp nhận (.zip)", "en": "The accepted files (.zip)"},
    "serve.report_xlsx": {"vi": "Báo cáo kết quả (.xlsx)", "en": "The report (.xlsx)"},
    "serve.annex_xlsx": {"vi": "Phụ lục báo cáo (.xlsx)", "en": "The annex (.xlsx)"},
    "serve.units_summary": {
        "vi": "{sent}/{total} đơn vị đã gửi; {accepted} đã chấp nhận; {late} trễ hạn",
        "en": "{sent}/{total} units have sent; {accepted} accepted; {late} late",
    },
    "serve.set_due": {"vi": "Đặt hạn nộp", "en": "Set the due date"},
    "serve.too_large": {
        "vi": "Tệp lớn hơn {limit} MB, không nhận. Biểu số liệu của một đơn vị không lớn như vậy.",
        "en": "The file is larger than {limit} MB and was not taken. No unit's workbook is so large.",
    },
    "serve.not_workbook": {
        "vi": "Chỉ nhận tệp Excel (.xlsx, .xlsm, .xls) hoặc .ods.",
        "en": "Only Excel files (.xlsx, .xlsm, .xls) or .ods are taken.",
    },
    "serve.no_file": {"vi": "Chưa chọn tệp.", "en": "No file was chosen."},
    "serve.not_found": {"vi": "Không có trang này.", "en": "There is no such page."},
    "serve.forbidden": {
        "vi": "Biểu mẫu đã hết hạn hoặc không hợp lệ; tải lại trang rồi thử lại.",
        "en": "The form has expired or is not valid; reload the page and try again.",
    },
    "serve.failed": {
        "vi": "Có lỗi khi xử lý yêu cầu; máy chủ vẫn hoạt động. Thử lại sau.",
        "en": "The request could not be handled; the server is still running. Try again later.",
    },
    "serve.language": {"vi": "English", "en": "Tiếng Việt"},
    "serve.decisions": {"vi": "Các quyết định", "en": "Decisions"},
    "serve.save_title": {"vi": "Lưu kỳ vào lịch sử", "en": "Save the period to the history"},
    "serve.save_intro": {
        "vi": "Kết quả tính trên các tệp đã chấp nhận được lưu thành một lần chạy của kỳ; lần lưu sau là lần "
        "hiện hành, các lần trước vẫn được giữ.",
        "en": "The results over the accepted files are saved as one run of the period; a later save becomes "
        "the current one, and the earlier ones are kept.",
    },
    "serve.save": {"vi": "Lưu kỳ {period}", "en": "Save {period}"},
    "serve.saved": {
        "vi": "Đã lưu lần chạy #{run} của {period} ({accepted} tệp đã chấp nhận) vào {db}.",
        "en": "Saved run #{run} of {period} ({accepted} accepted files) to {db}.",
    },
    "serve.nothing_accepted": {
        "vi": "Chưa chấp nhận tệp nào: chưa có gì để lưu.",
        "en": "No file has been accepted: there is nothing to save yet.",
    },
    "serve.state.checking": {"vi": "Đang kiểm tra", "en": "Being checked"},
    "serve.state.superseded": {"vi": "Đã thay bằng bài khác", "en": "Replaced by another"},
    "serve.pending": {
        "vi": "Bản sửa #{id} gửi lúc {when} đang chờ duyệt; bản đã chấp nhận vẫn được tính",
        "en": "Correction #{id} sent {when} awaits review; the accepted file still counts",
    },
    "serve.unit_pending": {
        "vi": "Chờ cán bộ tổng hợp duyệt; bài #{id} đã chấp nhận vẫn được tính đến khi đó",
        "en": "Awaits the planner's review; the accepted #{id} counts until then",
    },
    "serve.pending_title": {"vi": "Bản sửa đang chờ duyệt", "en": "A correction awaiting review"},
    "serve.pending_intro": {
        "vi": "Bài nộp này đến sau bản đã chấp nhận #{id} ({name}). Bản #{id} vẫn được tính cho đến khi "
        "chấp nhận bài này. Những gì sẽ thay đổi:",
        "en": "This submission came after the accepted #{id} ({name}). #{id} still counts until this one is "
        "accepted. What would change:",
    },
    "serve.newer_exists": {
        "vi": "Đơn vị đã gửi bài mới hơn: #{id}. Hãy xem bài đó.",
        "en": "The unit has sent a newer submission: #{id}. Look at that one.",
    },
    "serve.change.cell": {
        "vi": "{sheet}, {key}: {label}: {old} → {new}",
        "en": "{sheet}, {key}: {label}: {old} → {new}",
    },
    "serve.change.added": {"vi": "{sheet}: thêm dòng {key}", "en": "{sheet}: row {key} added"},
    "serve.change.removed": {"vi": "{sheet}: bỏ dòng {key}", "en": "{sheet}: row {key} removed"},
    "serve.change.more": {"vi": "… và {count} thay đổi nữa", "en": "… and {count} more changes"},
    "serve.change.none": {
        "vi": "Không có số liệu hợp lệ nào thay đổi.",
        "en": "No valid figure changes.",
    },
    "serve.change.unreadable": {
        "vi": "Không đọc lại được tệp lưu để so sánh.",
        "en": "A stored file could not be read back to compare.",
    },
    "serve.change.blank": {"vi": "(trống)", "en": "(blank)"},
    "serve.change.yes": {"vi": "Có", "en": "Yes"},
    "serve.change.no": {"vi": "Không", "en": "No"},
    "serve.round": {"vi": "Đợt báo cáo", "en": "The round"},
    "serve.round_open": {
        "vi": "Đợt báo cáo đang mở: các đơn vị gửi được biểu.",
        "en": "The round is open: units can send.",
    },
    "serve.round_is_closed": {
        "vi": "Đợt báo cáo đã khóa lúc {when}: không nhận thêm biểu.",
        "en": "The round was closed at {when}: no more files are taken.",
    },
    "serve.close_round": {"vi": "Khóa đợt báo cáo", "en": "Close the round"},
    "serve.reopen_round": {"vi": "Mở lại đợt báo cáo", "en": "Reopen the round"},
    "serve.round_note": {"vi": "Lý do (được ghi lại)", "en": "Why (it is kept)"},
    "serve.event.closed": {"vi": "Khóa đợt", "en": "Closed"},
    "serve.event.reopened": {"vi": "Mở lại đợt", "en": "Reopened"},
    "serve.event.due": {"vi": "Đặt hạn nộp", "en": "Due date set"},
    "serve.round-closed": {
        "vi": "Đợt báo cáo đã khóa lúc {when}: không nhận thêm biểu. Liên hệ cán bộ tổng hợp nếu cần gửi bổ sung.",
        "en": "The round was closed at {when}: no more files are taken. Ask the planner if you must still send.",
    },
    "serve.login_throttled": {
        "vi": "Đã có quá nhiều lần đăng nhập sai: thử lại sau {minutes} phút.",
        "en": "Too many wrong sign-ins: try again in {minutes} minutes.",
    },
    "serve.logout": {"vi": "Đăng xuất", "en": "Sign out"},
    "serve.too-many-uploads": {
        "vi": "Đơn vị đã gửi {count} tệp trong một giờ qua, tối đa là {limit}: chưa nhận tệp này. Gửi lại sau ít phút.",
        "en": "Your unit has sent {count} files in the past hour, {limit} at most: this one was not taken. "
        "Send it again in a few minutes.",
    },
    "serve.intake-busy": {
        "vi": "Máy chủ đang kiểm tra {waiting} biểu khác nên chưa nhận tệp này (chưa lưu gì). Gửi lại sau ít phút.",
        "en": "The server is checking {waiting} other files, so this one was not taken (nothing was kept). "
        "Send it again in a few minutes.",
    },
    "serve.decide-superseded": {
        "vi": "Không chấp nhận bài #{id}: đơn vị đã gửi bài mới hơn (#{newer}). Hãy xem và chấp nhận bài mới hơn, "
        "hoặc trả lại nó.",
        "en": "#{id} is not accepted: the unit has sent a newer submission (#{newer}). Look at that one and "
        "accept it, or send it back.",
    },
    "serve.decide-already-accepted": {
        "vi": "Bài #{id} đã được chấp nhận: không có gì thay đổi.",
        "en": "#{id} is accepted already: nothing changed.",
    },
    "serve.decide-checking": {
        "vi": "Bài #{id} đang được kiểm tra: chờ kết quả rồi quyết định.",
        "en": "#{id} is still being checked: wait for its verdict, then decide.",
    },
    "serve.store_failed": {
        "vi": "Máy chủ chưa lưu được tệp (hết chỗ trên đĩa?): chưa ghi nhận gì. Gửi lại sau ít phút.",
        "en": "The server could not store the file (a full disk?): nothing was recorded. Send it again later.",
    },
    "serve.no_annotated": {
        "vi": "Không có bản đánh dấu cho bài này: tệp không đọc được như một bảng tính .xlsx.",
        "en": "There is no marked copy of this submission: the file cannot be read as an .xlsx workbook.",
    },
    "serve.unsound": {
        "vi": "Tệp lưu của bài #{id} ({unit}, {name}) bị thiếu hoặc hỏng: không được tính; đề nghị đơn vị gửi lại.",
        "en": "The stored copy of #{id} ({unit}, {name}) is missing or damaged: it does not count; ask the unit "
        "to send it again.",
    },
    "serve.unowned": {
        "vi": "{count} dòng của trang '{sheet}' trong danh mục chưa ghi đơn vị báo cáo: không đường dẫn nào gửi "
        "được các dòng này.",
        "en": "{count} rows of the sheet '{sheet}' in the register name no reporting unit: no link can send them.",
    },
    "serve.your_sheets": {"vi": "Đơn vị báo cáo các trang: {sheets}", "en": "Your unit reports the sheets: {sheets}"},
    "serve.zip_listing_head": {
        "vi": "Mã đơn vị\tBài nộp\tTên tệp đã gửi\tTên trong tệp nén\tSHA-256",
        "en": "Unit\tSubmission\tName sent\tName in the archive\tSHA-256",
    },
    "serve.zip_unsound": {
        "vi": "THIẾU: tệp lưu bị mất hoặc hỏng, cần đơn vị gửi lại",
        "en": "MISSING: the stored copy is gone or damaged; the unit must send it again",
    },
    "serve.history_chart": {"vi": "Lịch sử các kỳ (biểu đồ)", "en": "The periods' history (chart)"},
    "serve.no_history": {
        "vi": "Chưa có cơ sở dữ liệu lịch sử: lưu các kỳ bằng qbplan check … --period KỲ --save",
        "en": "No history database yet: save the periods with qbplan check … --period PERIOD --save",
    },
    # Planner accounts, roles and the audit trail.
    "serve.account_name": {"vi": "Tên đăng nhập", "en": "User name"},
    "serve.login_hint": {
        "vi": "Lần đầu, khi chưa có tài khoản quản trị: để trống tên đăng nhập và nhập mã truy cập in ra lúc "
        "khởi động.",
        "en": "The first time, before any admin account exists: leave the user name empty and type the access "
        "token printed at start.",
    },
    "serve.token_retired": {
        "vi": "Đã có tài khoản quản trị: mã truy cập lúc khởi động không còn dùng được. Đăng nhập bằng tên và "
        "mật khẩu.",
        "en": "An admin account exists: the start-up access token no longer signs in. Sign in with your name "
        "and password.",
    },
    "serve.signed_in_as": {"vi": "Đăng nhập: {name} ({role})", "en": "Signed in: {name} ({role})"},
    "serve.limited_to": {"vi": "chỉ các đơn vị thuộc {group}", "en": "only the units of {group}"},
    "serve.admin": {"vi": "Tài khoản và nhật ký", "en": "Accounts and audit trail"},
    "serve.accounts": {"vi": "Tài khoản cán bộ", "en": "Planner accounts"},
    "serve.add_account": {"vi": "Thêm tài khoản", "en": "Add an account"},
    "serve.save_account": {"vi": "Lưu", "en": "Save"},
    "serve.no_accounts": {
        "vi": "Chưa có tài khoản nào: đang dùng mã truy cập lúc khởi động.",
        "en": "No account yet: the start-up access token is in use.",
    },
    "serve.col.who": {"vi": "Người thực hiện", "en": "By"},
    "serve.col.role": {"vi": "Vai trò", "en": "Role"},
    "serve.col.group": {"vi": "Phạm vi đơn vị", "en": "Units seen"},
    "serve.col.password": {"vi": "Mật khẩu", "en": "Password"},
    "serve.col.active": {"vi": "Được đăng nhập", "en": "May sign in"},
    "serve.every_unit": {"vi": "Tất cả đơn vị", "en": "Every unit"},
    "serve.password_unchanged": {"vi": "để trống: giữ nguyên", "en": "empty: unchanged"},
    "serve.active_yes": {"vi": "Có", "en": "Yes"},
    "serve.active_no": {"vi": "Không (đã khóa)", "en": "No (disabled)"},
    "serve.password_rule": {
        "vi": "ít nhất {minimum} ký tự, không chứa tên đăng nhập",
        "en": "{minimum} characters at least, not containing the user name",
    },
    "serve.roles_explained": {
        "vi": "Xem: xem bảng theo dõi, từng bài và tải tệp. Duyệt: thêm chấp nhận và trả lại. Quản trị: thêm đặt "
        "hạn nộp, khóa và mở lại đợt, lưu vào lịch sử, quản lý tài khoản và xem nhật ký.",
        "en": "Viewer: sees the dashboard, each submission and the downloads. Reviewer: also accepts and sends "
        "back. Admin: also sets due dates, closes and reopens the round, saves it to the history, manages "
        "accounts and reads the audit trail.",
    },
    "serve.role.viewer": {"vi": "xem", "en": "viewer"},
    "serve.role.reviewer": {"vi": "duyệt", "en": "reviewer"},
    "serve.role.admin": {"vi": "quản trị", "en": "admin"},
    "serve.role_needed": {
        "vi": "Tài khoản này không được làm việc này: cần vai trò {needed}.",
        "en": "This account may not do that: the {needed} role is needed.",
    },
    "serve.actor_token": {"vi": "mã truy cập khởi động", "en": "the start-up token"},
    "serve.audit_trail": {"vi": "Nhật ký thao tác", "en": "Audit trail"},
    "serve.audit_csv": {"vi": "Tải toàn bộ nhật ký (CSV)", "en": "Download the whole trail (CSV)"},
    "serve.audit_col.when": {"vi": "Thời điểm", "en": "When"},
    "serve.audit_col.who": {"vi": "Người thực hiện", "en": "Who"},
    "serve.audit_col.action": {"vi": "Thao tác", "en": "Action"},
    "serve.audit_col.subject": {"vi": "Đối tượng", "en": "On"},
    "serve.audit_col.detail": {"vi": "Chi tiết", "en": "Detail"},
    "serve.audit_col.address": {"vi": "Địa chỉ", "en": "Address"},
    "serve.audit.sign-in": {"vi": "Đăng nhập", "en": "Signed in"},
    "serve.audit.sign-in-failed": {"vi": "Đăng nhập sai", "en": "Failed sign-in"},
    "serve.audit.sign-out": {"vi": "Đăng xuất", "en": "Signed out"},
    "serve.audit.accepted": {"vi": "Chấp nhận bài", "en": "Accepted"},
    "serve.audit.returned": {"vi": "Trả lại bài", "en": "Sent back"},
    "serve.audit.closed": {"vi": "Khóa đợt", "en": "Closed the round"},
    "serve.audit.reopened": {"vi": "Mở lại đợt", "en": "Reopened the round"},
    "serve.audit.due": {"vi": "Đặt hạn nộp", "en": "Set the due date"},
    "serve.audit.saved": {"vi": "Lưu vào lịch sử", "en": "Saved to the history"},
    "serve.audit.reminded": {"vi": "Gửi thư nhắc (đã gửi/tổng)", "en": "Sent reminders (sent/all)"},
    "serve.reminders": {"vi": "Nhắc các đơn vị", "en": "Remind the units"},
    "serve.reminders_explained": {
        "vi": "Thư gửi đến đơn vị chưa gửi biểu hoặc bị trả lại, từ {before} ngày trước hạn đến {after} ngày "
        "sau hạn, kèm đường dẫn riêng của đơn vị; xem trước rồi mới gửi.",
        "en": "E-mails to the units that have not sent, or were sent back, from {before} days before the due date "
        "to {after} after, each with the unit's own link; look first, then send.",
    },
    "serve.reminders_look": {"vi": "Xem trước danh sách nhắc", "en": "See who would be reminded"},
    "serve.reminders_send": {"vi": "Gửi thư nhắc", "en": "Send the reminders"},
    "serve.reminders_preview": {
        "vi": "Xem trước: chưa gửi thư nào, chưa ghi gì.",
        "en": "A preview: nothing was sent or kept.",
    },
    "serve.reminders_sent": {"vi": "Đã gửi; mỗi thư được ghi lại.", "en": "Sent; each message is kept."},
    "serve.reminders_no_base": {
        "vi": "Máy chủ chạy không có --base-url: thư nhắc không có đường dẫn đúng cho đơn vị, nên không gửi.",
        "en": "The server runs without --base-url: the reminders would carry no working link, so none is sent.",
    },
    "serve.reminders_none": {"vi": "Không có đơn vị nào cần nhắc.", "en": "No unit to remind."},
    "serve.reminders_without": {
        "vi": "{count} đơn vị cần nhắc nhưng không có thư điện tử trong danh mục",
        "en": "{count} unit(s) to remind have no e-mail in the register",
    },
    "serve.reminder_email": {"vi": "Thư điện tử", "en": "E-mail"},
    "serve.reminder_reason": {"vi": "Lý do", "en": "Why"},
    "serve.reminder_status": {"vi": "Tình trạng", "en": "Status"},
    "serve.audit.account-added": {"vi": "Thêm tài khoản", "en": "Added an account"},
    "serve.audit.account-role": {"vi": "Đổi vai trò", "en": "Changed a role"},
    "serve.audit.account-group": {"vi": "Đổi phạm vi đơn vị", "en": "Changed the units seen"},
    "serve.audit.account-password": {"vi": "Đặt mật khẩu mới", "en": "Set a new password"},
    "serve.audit.account-disabled": {"vi": "Khóa tài khoản", "en": "Disabled an account"},
    "serve.audit.account-enabled": {"vi": "Mở khóa tài khoản", "en": "Enabled an account"},
    "serve.account-exists": {"vi": "Đã có tài khoản {name}.", "en": "An account {name} exists already."},
    "serve.account-unknown": {"vi": "Không có tài khoản {name}.", "en": "There is no account {name}."},
    "serve.account-bad-name": {
        "vi": "Tên đăng nhập «{name}» không dùng được: chỉ chữ thường không dấu, số và . _ @ -, tối đa 64 ký tự.",
        "en": "The user name «{name}» cannot be used: lower-case letters without accents, digits and . _ @ -, "
        "64 at most.",
    },
    "serve.account-bad-role": {
        "vi": "Vai trò không hợp lệ: chọn xem, duyệt hoặc quản trị.",
        "en": "Not a role: choose viewer, reviewer or admin.",
    },
    "serve.account-bad-group": {
        "vi": "«{group}» không phải một nhóm đơn vị trong danh mục.",
        "en": "«{group}» is not a group of units in the register.",
    },
    "serve.account-weak-password": {
        "vi": "Mật khẩu quá yếu: cần ít nhất {minimum} ký tự, không chứa tên đăng nhập, không lặp một vài ký tự.",
        "en": "The password is too weak: {minimum} characters at least, not containing the user name, not a few "
        "characters repeated.",
    },
    "serve.account-last-admin": {
        "vi": "{name} là quản trị viên cuối cùng: thêm một quản trị viên khác trước khi đổi vai trò hoặc khóa.",
        "en": "{name} is the last admin: add another admin before changing this role or disabling it.",
    },
    "serve.db_busy": {
        "vi": "Cơ sở dữ liệu tiếp nhận đang bận, chưa trả lời: thử lại sau ít phút. Biểu đã gửi không bị mất.",
        "en": "The intake database is busy and did not answer: try again in a few minutes. Nothing sent is lost.",
    },
}
