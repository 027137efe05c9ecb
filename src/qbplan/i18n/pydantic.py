"""Pydantic's refusals of a hand-edited targets file, worded in the message's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    # qbplan's own checks of a percentage, of points and of an index (config.targets._bounded).
    "percentage": "tỷ lệ phải là số từ 0 đến 100 (nhận được {input})",
    "points": "điểm phải là số từ 0 đến 1000 (nhận được {input})",
    "index": "chỉ số phải là số từ 0 đến 1 (nhận được {input})",
}
# Which of those a validator's English reason is, by how it begins.
_OWN_REASONS = {"a percentage": "percentage", "points": "points", "an index": "index"}


@dataclass(frozen=True)
class PydanticDetail:
    """Pydantic's refusal of a value in the targets file, as data: worded when the message is made."""

    type: str  # Pydantic's error type: "missing", "int_type", "value_error", …
    msg: str  # Pydantic's own English sentence
    reason: str  # a value_error's own reason (the validator's text, without "Value error, ")
    given: Any = None  # the value refused
    meant: str = ""  # for an unknown key: the missing key it is closest to

    def text(self, lang: str) -> str:
        """Pydantic's sentence in English, ours in Vietnamese where we have one; a validator's own reason as it is."""
        if self.type == "extra_forbidden" and self.meant:
            return f"unknown key; did you mean '{self.meant}'?" if lang == "en" else f"khóa lạ; có phải '{self.meant}'?"
        if self.type != "value_error":
            return self.msg if lang == "en" else PYDANTIC_VI.get(self.type, self.msg)
        if lang == "vi":
            own = next((key for start, key in _OWN_REASONS.items() if self.reason.startswith(f"{start} must")), None)
            if own is not None:
                return PYDANTIC_VI[own].format(input=self.given)
        return self.reason  # without Pydantic's "Value error, " in front
