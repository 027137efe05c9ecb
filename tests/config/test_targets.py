"""The targets file: bundled copy, defaults, and one bad input per failure mode."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from qbplan.config.targets import bundled_targets_path, load_targets, parse_targets, resolve_targets_path
from qbplan.errors import ConfigError
from tests.helpers import TARGETS_YAML, raw_targets

GOOD = TARGETS_YAML.read_text(encoding="utf-8")


def test_bundled_copy_is_identical_to_top_level() -> None:
    assert bundled_targets_path().read_bytes() == TARGETS_YAML.read_bytes()


def test_bundled_targets_have_the_14_public_ids() -> None:
    ids = [i.id for i in load_targets(bundled_targets_path()).indicators]
    assert ids == [
        "ct01",
        "ct02a",
        "ct02b",
        "ct03",
        "ct04a",
        "ct04b",
        "ct05",
        "ct06",
        "ct07a",
        "ct07b",
        "ct08",
        "ct09",
        "ct10",
        "ct11",
    ]


def test_thresholds_are_exact_fractions(targets) -> None:  # type: ignore[no-untyped-def]
    by_id = {i.id: i for i in targets.indicators}
    assert by_id["ct02b"].target.pass_ == Fraction(7, 10)
    # "80%–90%": met at 80%, exceeded at 90%.
    assert by_id["ct04a"].target.pass_ == Fraction(4, 5)
    assert by_id["ct04a"].target.stretch == Fraction(9, 10) and by_id["ct04a"].target.warn is None


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_targets_path(None) == bundled_targets_path()
    (tmp_path / "targets.yaml").write_text(GOOD, encoding="utf-8")
    assert resolve_targets_path(None) == Path("targets.yaml")
    assert resolve_targets_path("other.yaml") == Path("other.yaml")


def _error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_targets(text, "t.yaml")
    return info.value


def _line_of(text: str, needle: str) -> int:
    """The line of the *last* occurrence: a duplicate is reported where it repeats."""
    return max(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("mutate", "code", "needle", "message_part"),
    [
        # a syntax error
        (
            lambda t: t.replace(
                "    mode: count\n    numerator: ha_tang", "    mode: [count\n    numerator: ha_tang", 1
            ),
            "config-syntax",
            None,
            "YAML",
        ),
        # an unknown key
        (
            lambda t: t.replace("    deadline: 2025\n", "    deadline: 2025\n    dealine: 2026\n", 1),
            "config-invalid",
            "dealine",
            "indicators[0].dealine",
        ),
        # a reference to a column that does not exist
        (
            lambda t: t.replace("numerator: so_cbcc_trang_bi", "numerator: so_cbcc_trang_bj", 1),
            "config-unknown-column",
            "so_cbcc_trang_bj",
            "so_cbcc_trang_bj",
        ),
        # a threshold outside 0-100%
        (
            lambda t: t.replace("    target: 70\n", "    target: 170\n", 1),
            "config-invalid",
            "target: 170",
            "indicators[2].target",
        ),
        # duplicate indicator ids
        (lambda t: t.replace("  - id: ct02b", "  - id: ct02a", 1), "config-duplicate-id", "- id: ct02a\n", "ct02a"),
        # duplicate YAML keys
        (
            lambda t: t.replace("    mode: count\n", "    mode: count\n    mode: sum  # dup\n", 1),
            "config-duplicate-key",
            "# dup",
            "mode",
        ),
        # a !!python/object tag
        (
            lambda t: t.replace("version: 1", "version: !!python/object/apply:os.system ['echo pwned']", 1),
            "config-tag",
            "python/object",
            "python/object",
        ),
        # an unknown enum value in a scope
        (
            lambda t: t.replace("scope: {cap: [xa]}", "scope: {cap: [xa, thon]}", 1),
            "config-unknown-value",
            "thon",
            "thon",
        ),
        # warn above pass
        (
            lambda t: t.replace("target: {pass: 80, stretch: 90}", "target: {pass: 80, warn: 90}", 1),
            "config-warn-above-pass",
            "warn: 90",
            "warn",
        ),
        # an indicator on a sheet the form lacks
        (
            lambda t: t.replace("    sheet: phan_mem\n", "    sheet: phan_mem_x\n", 1),
            "config-unknown-sheet",
            "phan_mem_x",
            "phan_mem_x",
        ),
    ],
    ids=[
        "syntax",
        "unknown-key",
        "unknown-column",
        "threshold-range",
        "duplicate-id",
        "duplicate-yaml-key",
        "python-tag",
        "unknown-scope-value",
        "warn-above-pass",
        "unknown-sheet",
    ],
)
def test_bad_targets_name_the_line(mutate, code, needle, message_part) -> None:  # type: ignore[no-untyped-def]
    text = mutate(GOOD)
    assert text != GOOD
    err = _error(text)
    assert err.code == code
    msg = err.message("en")
    assert msg.startswith("t.yaml:")
    assert message_part in msg
    if needle is not None:
        first = needle.splitlines()[0]
        assert err.params["line"] == _line_of(text, first), msg
    assert "\n" not in msg
    assert err.exit_code == 2


def test_vietnamese_config_messages() -> None:
    err = _error(GOOD.replace("    target: 70\n", "    target: 170\n", 1))
    assert err.message("vi").endswith("indicators[2].target: tỷ lệ phải là số từ 0 đến 100 (nhận được 170)")
    err = _error(GOOD.replace("    deadline: 2025\n", "    deadline: 2025\n    dealine: 2026\n", 1))
    assert err.message("vi").endswith("indicators[0].dealine: khóa không được phép (viết sai tên?)")


def test_python_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = GOOD.replace("version: 1", f"version: !!python/object/apply:os.system ['touch {marker}']", 1)
    with pytest.raises(ConfigError):
        parse_targets(text, "t.yaml")
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a ['x','x','x','x','x','x','x','x','x']\n"
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    err = _error(bomb)
    assert err.code == "config-alias"
    assert err.params["line"] == 1  # the anchor the aliases point to


def test_empty_and_scalar_documents() -> None:
    assert _error("").code == "config-not-mapping"
    assert _error("just text").code == "config-not-mapping"


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_targets(tmp_path / "none.yaml")
    assert info.value.code == "config-missing"
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("plan: Qu\xe1ng".encode("latin-1"))
    with pytest.raises(ConfigError) as info:
        load_targets(bad)
    assert info.value.code == "config-encoding"


def test_count_indicator_with_denominator_is_refused() -> None:
    text = GOOD.replace(
        "    numerator: ha_tang_dat_chuan\n", "    numerator: ha_tang_dat_chuan\n    denominator: so_cbcc\n", 1
    )
    assert _error(text).code == "config-count-denominator"


def test_another_plan_is_just_another_file() -> None:
    """Nothing province-specific in code: a tiny plan of one sheet works."""
    text = """
version: 1
plan: {id: p, title_vi: Kế hoạch thử, title_en: Test plan, source: test}
form:
  version: "1"
  sheets:
    - key: truong
      label: Trường học
      columns:
        - {key: ma, label: Mã, unique: true}
        - {key: co_wifi, label: Có wifi, type: yesno}
indicators:
  - {id: w1, title_vi: Trường có wifi, title_en: Schools with wifi, sheet: truong, mode: count,
     numerator: co_wifi, target: 50, deadline: 2035, source: test}
"""
    t = parse_targets(text, "plan.yaml")
    assert t.indicators[0].target.pass_ == Fraction(1, 2)


def test_a_targets_file_that_is_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "targets.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError) as info:
        load_targets(fifo)  # would block for ever on open()
    assert info.value.code == "config-not-file"


@pytest.mark.parametrize("target", ["1e-100000000", "1E5", "0." + "1" * 40])
def test_a_percentage_with_a_huge_exponent_or_length_is_refused_at_once(target: str) -> None:
    data = raw_targets()
    data["indicators"][0]["target"] = target
    with pytest.raises(ConfigError) as info:
        parse_targets(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    assert info.value.code == "config-invalid" and "0 đến 100" in info.value.message("vi")


def test_a_refused_value_is_worded_when_said_in_each_language() -> None:
    data = raw_targets()
    data["indicators"][0]["target"] = 140
    with pytest.raises(ConfigError) as info:
        parse_targets(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    vi, en = info.value.message("vi"), info.value.message("en")
    assert "tỷ lệ phải là số từ 0 đến 100 (nhận được 140)" in vi
    # The validator's own reason, without Pydantic's "Value error, " in front.
    assert en.endswith("indicators[0].target: a percentage must be from 0 to 100, got 140"), en
    data = raw_targets()
    del data["plan"]
    with pytest.raises(ConfigError) as info:
        parse_targets(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    assert info.value.message("vi").endswith("plan: thiếu khóa bắt buộc")
    assert info.value.message("en").endswith("plan: Field required")


def test_a_consistency_rule_naming_an_unknown_value_is_refused_with_its_line() -> None:
    data = raw_targets()
    co_quan = next(s for s in data["form"]["sheets"] if s["key"] == "co_quan")
    co_quan["rules"] = [{"when": {"loai": "ubnd_xa"}, "require": {"cap": "thon"}}]
    with pytest.raises(ConfigError) as info:
        parse_targets(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    assert info.value.code == "config-unknown-value" and "rules[0].require.cap[0]" in info.value.message("en")


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\nplan: " + "[" * 900 + "]" * 900 + "\n",
        "version: 1\nplan: " + "{a: " * 900 + "1" + "}" * 900 + "\n",
        "version: 1\nplan:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)),
    ],
    ids=["flow-seq", "flow-map", "block"],
)
def test_yaml_nested_too_deep_is_one_error_at_its_line(text: str) -> None:
    err = _error(text)
    assert err.code == "config-too-deep" and err.params["line"] >= 2


def test_a_number_of_5000_digits_is_an_error_at_its_line() -> None:
    text = GOOD.replace("target: 100\n", "target: " + "9" * 5000 + "\n", 1)
    err = _error(text)
    assert err.code == "config-number-too-long"
    assert err.params["line"] == _line_of(text, "9" * 5000)


def test_a_misspelt_key_is_named_with_the_key_it_may_mean() -> None:
    from qbplan.model.wording import sentence

    text = GOOD.replace("    title_vi: Cán bộ, công chức", "    titel_vi: Cán bộ, công chức", 1)
    err = _error(text)
    assert err.params["line"] == _line_of(text, "titel_vi") and err.params["path"].endswith("titel_vi")
    assert "có phải 'title_vi'?" in sentence(err.code, err.params, "vi")
    assert "did you mean 'title_vi'?" in sentence(err.code, err.params, "en")


def test_every_fault_of_a_targets_file_is_said_each_on_its_own_line() -> None:
    data = raw_targets()
    data["indicators"][0]["target"] = {"pass": 200}
    data["indicators"][1]["target"] = {"pass": -5}
    with pytest.raises(ConfigError) as raised:
        parse_targets(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "t.yaml")
    lines = raised.value.lines("vi")
    assert len(lines) == 2 and "(và" not in "".join(lines)
    assert lines[0].startswith("t.yaml:") and "indicators[0].target.pass" in lines[0] and "200" in lines[0]
    assert "indicators[1].target.pass" in lines[1] and "-5" in lines[1]


def test_past_ten_faults_the_last_line_says_how_many_more() -> None:
    data = raw_targets()
    for ind in data["indicators"][:12]:
        ind["target"] = {"pass": 200}
    with pytest.raises(ConfigError) as raised:
        parse_targets(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "t.yaml")
    lines = raised.value.lines("en")
    assert len(lines) == 10 and lines[-1].endswith("(and 2 more)")


def test_yaml_nested_too_deep_after_an_apostrophe_is_one_error_not_a_crash() -> None:
    # The old depth check tracked quotes by hand: an English title's apostrophe hid the brackets after it.
    err = _error("version: 1\ntitle_en: the province's plan\nplan: " + "[" * 900 + "]" * 900 + "\n")
    assert (err.code, err.params["line"]) == ("config-too-deep", 3)


@pytest.mark.parametrize(
    ("text", "vi"),
    [
        ("a: b: c\n", "dấu ':' không được đặt ở đây"),
        ("a: 'x\n", "tệp kết thúc giữa chừng"),
    ],
)
def test_a_yaml_syntax_error_is_worded_in_vietnamese(text: str, vi: str) -> None:
    err = _error(text)
    assert err.code == "config-syntax" and vi in err.message("vi") and "PyYAML" not in err.message("vi")
