"""Safe YAML loading that remembers where every value came from.

PyYAML's ``safe_load`` is safe against code execution but forgets line numbers,
silently keeps the last of two duplicate keys, and expands aliases (so an alias
bomb can exhaust memory). Here we compose the node graph, which is linear in the
file size, and build plain Python values ourselves:

* only the core tags (str, int, float, bool, null, seq, map) are accepted, so a
  ``!!python/object`` tag is an error, never a constructor call;
* anchors and aliases are refused, which also stops alias bombs;
* duplicate keys are an error;
* every value's path gets its 1-based line, for error messages;
* nesting deeper than :data:`MAX_DEPTH` and numbers longer than
  :data:`MAX_DIGITS` are errors at their line, not a RecursionError or
  Python's 4,300-digit limit far from the cause.
"""

from __future__ import annotations

from typing import Any

import yaml

from qbplan.errors import ConfigError

Path_ = tuple[str | int, ...]

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# A targets file is four levels deep; 32 leaves room and stays far from Python's recursion limit.
MAX_DEPTH = 32
# Targets and counts are percents and row counts: no real one has 30 digits.
MAX_DIGITS = 30
_SEQ_TAG = "tag:yaml.org,2002:seq"

# Loader class: the C loader when PyYAML was built with libyaml.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, file: str) -> tuple[Any, dict[Path_, int]]:
    """Parse ``text``; return the data and a map from value path to line."""
    try:
        too_deep = _too_deep(text)
        if too_deep:
            raise ConfigError("config-too-deep", file=file, line=too_deep, path="", limit=MAX_DEPTH)
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # pragma: no cover - _too_deep refuses such text first
        raise ConfigError("config-too-deep", file=file, line=0, path="", limit=MAX_DEPTH) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError("config-syntax", file=file, line=line, path="", detail=YamlProblem(problem)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        raise ConfigError("config-syntax", file=file, line=0, path="", detail=str(exc)) from None
    lines: dict[Path_, int] = {}
    if node is None:
        return None, lines
    builder = _Builder(file, lines)
    return builder.build(node, ()), lines


def _too_deep(text: str) -> int:
    """The line where the document first nests deeper than :data:`MAX_DEPTH`, or 0.

    Read before composing: PyYAML's composer recurses once per level, so
    ``[[[[…]]]]`` 900 deep would end in a RecursionError inside it. The
    parser's own event stream is flat: counting its starts and ends gives the
    depth exactly, whatever quotes, comments or block styles the text holds.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                return int(mark.line) + 1 if mark is not None else 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return 0


# PyYAML's commonest complaints, in Vietnamese; others are quoted as PyYAML says them.
_YAML_VI = {
    "mapping values are not allowed": "dấu ':' không được đặt ở đây (giá trị có dấu ':' cần đặt trong dấu nháy)",
    "found character that cannot start any token": "có ký tự không mở đầu được giá trị nào (tab để thụt lề?)",
    "could not find expected ':'": "thiếu dấu ':' sau khóa",
    "found character '\\t' that cannot start any token": "có ký tự tab: YAML chỉ thụt lề bằng dấu cách",
    "found unexpected end of stream": "tệp kết thúc giữa chừng (thiếu dấu nháy hoặc ngoặc đóng?)",
    "did not find expected key": "thụt lề không khớp: không tìm thấy khóa ở mức này",
    "did not find expected '-' indicator": "thụt lề không khớp trong danh sách",
    "did not find expected node content": "thiếu giá trị",
    "found undefined alias": "bí danh (*) chưa được định nghĩa",
    "found unknown escape character": "ký tự thoát (\\) không hợp lệ trong chuỗi",
}


class YamlProblem:
    """PyYAML's reason for refusing the text, worded when the message is made."""

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def text(self, lang: str) -> str:
        """PyYAML's own words in English; ours in Vietnamese, or PyYAML's quoted where we have none."""
        if lang == "en":
            return self.problem
        for start, words in _YAML_VI.items():
            if self.problem.startswith(start):
                return words
        return f"PyYAML: «{self.problem}»"

    def __str__(self) -> str:
        return self.problem


def format_path(path: Path_) -> str:
    """``("indicators", 3, "target")`` -> ``indicators[3].target``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def line_of(lines: dict[Path_, int], path: Path_) -> int:
    """Line of the value at ``path``, or of its nearest known parent."""
    for end in range(len(path), -1, -1):
        found = lines.get(tuple(path[:end]))
        if found:
            return found
    return 0


class _Builder:
    def __init__(self, file: str, lines: dict[Path_, int]) -> None:
        self.file = file
        self.lines = lines
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, path: Path_, code: str, **params: Any) -> ConfigError:
        return ConfigError(code, file=self.file, line=node.start_mark.line + 1, path=format_path(path), **params)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        # The composer returns the *same* node object for an alias and its anchor.
        if id(node) in self.seen:
            raise self.fail(node, path, "config-alias")
        self.seen.add(id(node))
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.fail(node, path, "config-tag", tag=node.tag)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, path, "config-tag", tag=node.tag)
        if node.tag in _NUMBER_TAGS and sum(ch.isdigit() for ch in node.value) > MAX_DIGITS:
            raise self.fail(node, path, "config-number-too-long", limit=MAX_DIGITS)
        return self.constructor.construct_object(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        """A plain mapping whose keys are plain scalars, each given once."""
        if node.tag != _MAP_TAG:
            raise self.fail(node, path, "config-tag", tag=node.tag)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise self.fail(key_node, path, "config-key-type")
            key = str(self.constructor.construct_object(key_node))
            if key in out:
                raise self.fail(key_node, (*path, key), "config-duplicate-key", key=key)
            out[key] = self.build(value_node, (*path, key))
        return out
