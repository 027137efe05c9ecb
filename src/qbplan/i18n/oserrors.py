"""The operating system's reasons, in the user's language: a Vietnamese line carries no English strerror."""

from __future__ import annotations

import errno

_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("đĩa đã đầy", "the disk is full"),
    errno.EDQUOT: ("đã hết hạn mức dung lượng", "the disk quota is used up"),
    errno.EACCES: ("không có quyền ghi", "permission denied"),
    errno.EPERM: ("không được phép", "not permitted"),
    errno.EROFS: ("ổ đĩa chỉ đọc", "the file system is read-only"),
    errno.EIO: ("lỗi đọc ghi của thiết bị", "an input/output error of the device"),
    errno.ENOENT: ("không có thư mục hoặc tệp này", "no such folder or file"),
    errno.EISDIR: ("đây là một thư mục", "it is a folder"),
    errno.ENAMETOOLONG: ("tên quá dài", "the name is too long"),
    errno.EMFILE: ("mở quá nhiều tệp cùng lúc", "too many open files"),
}


def os_reason(exc: OSError, lang: str) -> str:
    """Why an OS call failed, in ``lang``; the system's own words (and errno) for a reason not listed."""
    found = _REASONS.get(exc.errno or -1)
    if found is not None:
        return found[0] if lang == "vi" else found[1]
    return exc.strerror or type(exc).__name__
