"""A database driver's reason (libpq's, SQLite's), worded in the user's language where it is a common one.

The text stays the driver's own (a ``str``) for logs and for English; a
Vietnamese line gets our words for the reasons a planner meets, and the
driver's words quoted for the rest, never bare English inside Vietnamese.
"""

from __future__ import annotations

# Substrings of libpq's and SQLite's reasons, and what they mean to a planner.
_VI = (
    ("password authentication failed", "sai tên đăng nhập hoặc mật khẩu của cơ sở dữ liệu"),
    ("connection refused", "máy chủ từ chối kết nối: chưa chạy, hoặc sai cổng"),
    ("could not translate host name", "không tìm thấy máy chủ theo tên này"),
    ("name or service not known", "không tìm thấy máy chủ theo tên này"),
    ("timeout expired", "hết thời gian chờ máy chủ trả lời"),
    ("does not exist", "không có cơ sở dữ liệu hoặc vai trò này trên máy chủ"),
    ("no route to host", "không có đường tới máy chủ"),
    ("attempt to write a readonly database", "cơ sở dữ liệu chỉ cho đọc, không ghi được"),
    ("database is locked", "cơ sở dữ liệu đang bị khóa bởi một chương trình khác"),
    ("unable to open database file", "không mở được tệp cơ sở dữ liệu"),
    ("file is not a database", "tệp không phải cơ sở dữ liệu SQLite"),
    ("disk i/o error", "lỗi đọc ghi đĩa"),
    ("database or disk is full", "đĩa đã đầy"),
    ("read-only transaction", "giao dịch chỉ đọc: máy chủ không cho ghi"),
    ("permission denied", "không có quyền"),
)


class DriverReason(str):
    """The driver's reason as it said it; :meth:`text` words it for a message in ``lang``."""

    __slots__ = ()

    def text(self, lang: str) -> str:
        """Ours in Vietnamese for a common reason, else the driver's words quoted; the driver's in English."""
        if lang == "en":
            return str(self)
        folded = self.lower()
        found = next((words for key, words in _VI if key in folded), None)
        return found if found is not None else f"«{self}»"
