"""The targets file: the survey form and the indicators, loaded once, strictly.

Nothing about a particular province lives in Python: Decision 2972/QĐ-UBND of
Quảng Bình is the bundled ``data/targets.yaml``; another plan is another file.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError

from qbplan.config.paths import bundled_targets_path, resolve_targets_path
from qbplan.config.yaml import Path_, format_path, line_of, load_yaml
from qbplan.errors import ConfigError
from qbplan.i18n import PydanticDetail, localized, ui

# A targets file is small; a bigger one is a mistake or an attack.
MAX_TARGETS_BYTES = 2 * 1024 * 1024

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
Key = Annotated[str, Field(pattern=KEY_PATTERN)]
ColumnType = Literal["text", "int", "yesno", "enum"]


def _bounded(value: Any, high: int, what: str) -> Fraction:
    """A number of the targets file, exactly, from 0 to ``high``: 70, 70.5, "7.25" (what it is, for the message).

    Floats are read by repr(), the shortest text that round-trips, so 70.1
    stays 701/10. Text is short plain decimals: Fraction("1e-100000000")
    would build a power of ten with a hundred million digits.
    """
    message = f"{what} must be a number from 0 to {high}"
    if isinstance(value, bool):
        raise ValueError(message)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str) and (len(value) > 32 or "e" in value.lower()):
        raise ValueError(message)
    try:
        found = Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise ValueError(message) from None
    if not 0 <= found <= high:
        raise ValueError(f"{what} must be from 0 to {high}, got {value}")
    return found


def _percent(value: Any) -> Fraction:
    """Read a percentage exactly: 70, 70.5, "70%" -> Fraction of 1 (0.7 ...)."""
    if isinstance(value, str):
        value = value.strip().removesuffix("%").strip()
    return _bounded(value, 100, "a percentage") / 100


Percent = Annotated[Fraction, BeforeValidator(_percent)]


def _above(value: Any, low: int, high: int, what: str) -> Fraction:
    """A number of the targets file, exactly, above ``low`` and at most ``high``."""
    found = _bounded(value, high, what)
    if found <= low:
        raise ValueError(f"{what} must be above {low}, got {value}")
    return found


def parse_percent(value: Any) -> Fraction:
    """A percentage as the targets file takes one (70, "70,5 %" too), as a fraction of one; ValueError otherwise."""
    if isinstance(value, str):
        value = value.replace(",", ".")
    return _percent(value)


def _years(value: Any) -> Any:
    # YAML mapping keys reach the model as text: "2023" is the year 2023.
    if isinstance(value, dict):
        return {int(k) if isinstance(k, str) and k.strip().isdigit() else k: v for k, v in value.items()}
    return value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, arbitrary_types_allowed=True)


class SinceLast(_Strict):
    """How a unit's figure may move from the last saved period to this one (``check --compare PERIOD``).

    ``max_ratio``: at most this many times the last value, up or down (3: from 45 to 135 at most,
    and to 15 at least); ``max_share``: at most this share of the last value, up or down (0.5: ±50 %);
    ``no_fall``: a cumulative count may not fall; ``no_return``: a yes may not return to no.
    A figure outside it is a finding at its cell, of ``severity``, with the last period's value.
    """

    max_ratio: Annotated[Fraction, BeforeValidator(lambda v: _above(v, 1, 1000, "max_ratio"))] | None = None
    max_share: Annotated[Fraction, BeforeValidator(lambda v: _above(v, 0, 1000, "max_share"))] | None = None
    no_fall: bool = False
    no_return: bool = False
    severity: Literal["error", "warning"] = "warning"


class Outlier(_Strict):
    """A count far from the counts of the units like it, in the same period: a warning at its cell.

    Units are compared within the groups of ``by`` (their level, their type); a group of fewer
    than ``min_units`` is not judged. The measure is the modified z-score on the median,
    0.6745 × |x − median| / MAD (the median of the absolute deviations), judged exactly; a value
    is an outlier when it passes ``threshold`` (3.5, Iglewicz and Hoaglin's). A group whose MAD is
    0 (most units alike) is not judged: any difference would be infinitely far.
    """

    by: Annotated[list[Key], BeforeValidator(_as_list)] = []
    threshold: Annotated[Fraction, BeforeValidator(lambda v: _above(v, 0, 1000, "threshold"))] = Fraction(7, 2)
    min_units: int = Field(default=5, ge=3)


class Column(_Strict):
    """One column of a form sheet."""

    key: Key
    label: str = Field(min_length=1)
    aliases: list[str] = []
    type: ColumnType = "text"
    required: bool = True
    unique: bool = False
    # enum: value key -> Vietnamese label
    values: dict[Key, str] | None = None
    # The value must not exceed the sum of these columns of the same row.
    le: Annotated[list[Key], BeforeValidator(_as_list)] = []
    help_vi: str | None = None
    help_en: str | None = None
    # What a blank cell means when rows are grouped by this column, e.g.
    # "Cấp tỉnh" for a district left blank by province-level agencies.
    blank_group_vi: str | None = None
    blank_group_en: str | None = None
    # Against the unit's figure of the last saved period (see SinceLast).
    since_last: SinceLast | None = None
    # Against the units like it in the same period (see Outlier).
    outlier: Outlier | None = None


class Rule(_Strict):
    """A consistency rule between columns of one row: when these values, then those.

    ``{when: {loai: ubnd_xa}, require: {cap: xa}}``: a commune People's
    Committee is at commune level. A row that breaks it is an ``inconsistent``
    error at the required column's cell, and is left out of every rate.
    """

    when: dict[Key, Annotated[list[str], BeforeValidator(_as_list)]]
    require: dict[Key, Annotated[list[str], BeforeValidator(_as_list)]]


class Sheet(_Strict):
    """One sheet of the survey form."""

    key: Key
    label: str = Field(min_length=1)
    aliases: list[str] = []
    # What one row is, for "Mỗi dòng {row_vi}" in the blank form: "một cơ quan, đơn vị".
    row_vi: str | None = None
    columns: list[Column] = Field(min_length=1)
    rules: list[Rule] = []
    _by_key: dict[str, Column] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._by_key.update((c.key, c) for c in self.columns)

    def column(self, key: str) -> Column | None:
        """The column with this key, or None."""
        return self._by_key.get(key)


class Form(_Strict):
    """The survey form agencies fill in."""

    version: str
    sheets: list[Sheet] = Field(min_length=1)


class Threshold(_Strict):
    """Pass at or above ``pass`` (exceeded at or above ``stretch``); ``warn`` at or above ``warn``; else fail.

    A range target ("80%–90%") is met at its lower bound and exceeded at its
    upper one, as the province's yearly reviews count it (Đạt / Vượt).
    """

    pass_: Percent = Field(alias="pass")
    warn: Percent | None = None
    stretch: Percent | None = None


def _threshold(value: Any) -> Any:
    # "target: 70" is shorthand for "target: {pass: 70}".
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return {"pass": value}
    return value


def _points(value: Any) -> Fraction:
    """Points exactly: 10, 2.5, "7.25" -> Fraction; never negative, at most 1,000."""
    return _bounded(value, 1000, "points")


Points = Annotated[Fraction, BeforeValidator(_points)]


def _index(value: Any) -> Fraction:
    """An index bound on 0–1, exactly (0.65 is 13/20)."""
    return _bounded(value, 1, "an index")


class Band(_Strict):
    """From this rate up (a percentage), these points."""

    min: Percent
    points: Points


class ScoreRule(_Strict):
    """How a criterion's rate becomes points, out of ``max``.

    linear: rate × max. capped: min(rate / target, 1) × max. bands: the points
    of the highest band the rate reaches (0 below them all). best: rate / the
    best unit's rate × max. All exact; only the display is rounded.
    """

    max: Points
    method: Literal["linear", "capped", "bands", "best"]
    bands: list[Band] = []


class Pillar(_Strict):
    """A pillar of the index: the criteria under it add up to its points."""

    key: Key
    title_vi: str = Field(min_length=1)
    title_en: str = Field(min_length=1)


class Grade(_Strict):
    """From this index up (0–1), this grade."""

    min: Annotated[Fraction, BeforeValidator(_index)]
    label_vi: str = Field(min_length=1)
    label_en: str = Field(min_length=1)


class Indicator(_Strict):
    """One target of the plan and how to compute its achievement rate."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]
    title_vi: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    # What one unit of the numerator is, for "cần thêm 37 {unit}" in explain.
    unit_vi: str | None = None
    unit_en: str | None = None
    # The plan's own wording of the target, e.g. "80%–90%".
    goal: str | None = None
    sheet: Key
    mode: Literal["count", "sum"]
    numerator: Key
    denominator: Annotated[list[Key], BeforeValidator(_as_list)] = []
    # column -> allowed values; all columns must match (AND). Empty: every row.
    scope: dict[Key, Annotated[list[str], BeforeValidator(_as_list)]] = {}
    target: Annotated[Threshold, BeforeValidator(_threshold)]
    deadline: int = Field(ge=1900, le=2200)
    source: str = Field(min_length=1)
    # Yearly milestones on the way ({2023: 97}): a check of a period of that
    # year is judged against its milestone instead of the final target.
    milestones: Annotated[dict[Annotated[int, Field(ge=1900, le=2200)], Percent], BeforeValidator(_years)] = {}
    # Its denominator is a set the files alone cannot fix (the province's
    # databases, its shared software): without a register it is whatever the
    # files list, and each check says so.
    needs_register: bool = False
    # The plan's target group this indicator is listed under in the annex (a key of ``groups``).
    group: Key | None = None
    # Other titles a province's annex writes this indicator by, for ``verify``:
    # an exact alias is accepted, a paraphrase nobody declared is an error.
    aliases: list[str] = []
    # Unit grading (``qbplan rank``): the pillar this criterion adds to, and how its rate scores.
    pillar: Key | None = None
    scoring: ScoreRule | None = None

    def threshold(self, year: int | None = None) -> tuple[Threshold, int | None]:
        """The threshold a check of ``year`` is judged by, and the milestone's year when it is one."""
        if year is not None and year in self.milestones:
            return Threshold.model_validate({"pass": self.milestones[year] * 100}), year
        return self.target, None

    def unit(self, lang: str) -> str:
        """What one numerator unit is, in ``lang``; a generic word when not given."""
        return localized(self.unit_vi or "", self.unit_en or "", lang) or ui("unit.default", lang)


class Plan(_Strict):
    """The decision the targets come from."""

    id: str
    title_vi: str
    title_en: str
    source: str
    # The plan this one continues (its id): history, --compare and the trend
    # run across both, with the change of structure marked as a break.
    follows: str | None = None
    # The reorganisation's map of units: a former unit's key -> the key of the unit it became
    # (several former units may become one). ``--compare`` with a period saved under the plan
    # this one follows reads that period's figures through it (see validate/since_last.py).
    unit_map: dict[str, str] = {}


class Group(_Strict):
    """One of the plan's target groups: a Roman-numeral section of the annex."""

    key: Key
    title_vi: str = Field(min_length=1)
    title_en: str = Field(min_length=1)


# The annex's columns, as ``--format annex`` writes them and ``verify`` reads them.
AnnexColumn = Literal["stt", "indicator", "unit", "goal", "previous", "done", "rate", "verdict", "note"]


class AnnexSpec(_Strict):
    """How the plan's annex is headed, and the other headings a province writes its columns by."""

    # The parent authority and the reporting unit above the motto (Decree 30/2020/NĐ-CP, Annex I):
    # "UBND TỈNH QUẢNG BÌNH" over "SỞ THÔNG TIN VÀ TRUYỀN THÔNG".
    authority: str = ""
    unit: str = ""
    # Where it is signed, for "Quảng Bình, ngày … tháng … năm …".
    place: str = ""
    # Column -> headings that mean it, besides qbplan's own. A heading matches
    # an alias exactly or begins with it ("Kết quả thực hiện đến 30/11/2024").
    headings: dict[AnnexColumn, Annotated[list[str], BeforeValidator(_as_list)]] = {}


class UnitTarget(_Strict):
    """A register column that gives each unit its own target for one capped criterion (a percentage)."""

    key: Key
    label: str = Field(min_length=1)
    aliases: list[str] = []
    criterion: str


class ScoringSpec(_Strict):
    """How ``qbplan rank`` grades the units: the units' sheet, the pillars, the grades, and criteria of its own."""

    title_vi: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    source: str = ""
    # The sheet whose rows are the units graded (a row per agency).
    sheet: Key
    pillars: list[Pillar] = Field(min_length=1)
    # From the highest grade down; the lowest starts at 0.
    grades: list[Grade] = Field(min_length=1)
    # A registered unit that sent nothing: every criterion it is in scope of at
    # zero points ("zero"), or left out of the ranking with a note ("omit").
    missing: Literal["zero", "omit"] = "zero"
    # A unit in a criterion's scope whose denominator is 0 (no civil servants
    # to equip): zero points out of its max ("zero"), or the criterion not
    # counted for it, its max left out of the unit's ("skip").
    no_data: Literal["zero", "skip"] = "zero"
    # Per-unit criteria that are not plan indicators, over the same form columns.
    criteria: list[Indicator] = []
    # Targets that vary by unit: a column of the register, read with the units' own rows.
    unit_targets: list[UnitTarget] = []


class Targets(_Strict):
    """A whole targets file: plan, form and indicators."""

    version: Literal[1]
    plan: Plan
    form: Form
    indicators: list[Indicator] = Field(min_length=1)
    groups: list[Group] = []
    annex: AnnexSpec = AnnexSpec()
    # The register of reporting units, relative to this file (see register_paths).
    # (Not named "register": that is ABCMeta's, which BaseModel's class has.)
    registers: Annotated[list[str], BeforeValidator(_as_list)] = Field(default=[], alias="register")
    scoring: ScoringSpec | None = None
    _sheets: dict[str, Sheet] = PrivateAttr(default_factory=dict)
    path: str = ""
    # A ./targets.yaml picked up from the current folder (not given, not the
    # bundled one) that differs from the bundled plan: worth a warning, since a
    # file dropped into an inbox would otherwise decide every result silently.
    local_override: bool = False

    def model_post_init(self, __context: Any) -> None:
        self._sheets.update((s.key, s) for s in self.form.sheets)

    def sheet(self, key: str) -> Sheet | None:
        """The form sheet with this key, or None."""
        return self._sheets.get(key)

    def lineage(self) -> tuple[str, ...]:
        """This plan's id, then the plans it follows, nearest first (as far as the bundled plans tell)."""
        ids = [self.plan.id]
        follows = self.plan.follows
        while follows is not None and follows not in ids:
            ids.append(follows)
            path = bundled_plans().get(follows)
            follows = load_targets(path).plan.follows if path is not None else None
        return tuple(ids)

    def scored(self) -> list[Indicator]:
        """The criteria ``qbplan rank`` scores: the indicators with a scoring rule, then the scoring's own."""
        if self.scoring is None:
            return []
        return [i for i in self.indicators if i.scoring is not None] + list(self.scoring.criteria)

    def register_paths(self) -> tuple[str, ...]:
        """The register files this targets file names, as paths from the current folder."""
        base = Path(self.path).parent if self.path else Path()
        return tuple(str(base / p) for p in self.registers)

    def grouping_column(self, name: str) -> Column | None:
        """The column ``--by`` names, by its key or its label (case and diacritics folded), or None."""
        from qbplan.textnorm import fold

        wanted = fold(name)
        for sheet in self.form.sheets:
            for col in sheet.columns:
                if wanted in (fold(col.key), fold(col.label), *(fold(a) for a in col.aliases)):
                    return col
        return None

    def grouping_choices(self) -> list[str]:
        """What ``--by`` accepts: each text or enum column once, as "label (key)"."""
        seen: dict[str, str] = {}
        for sheet in self.form.sheets:
            for col in sheet.columns:
                if col.type in ("text", "enum") and not col.unique:
                    seen.setdefault(col.key, f"{col.label} ({col.key})")
        return list(seen.values())


Problem = tuple[Path_, str, dict[str, Any]]


def _cross_check(targets: Targets) -> list[Problem]:
    """References between parts of the file; returns (path, code, params) in file order."""
    problems: list[Problem] = []
    sheets = _Seen(("form", "sheets"), "key")
    for si, sheet in enumerate(targets.form.sheets):
        problems += sheets.check(si, sheet.key) + _check_sheet(sheet, ("form", "sheets", si))
    groups = _Seen(("groups",), "key")
    for gi, group in enumerate(targets.groups):
        problems += groups.check(gi, group.key)
    ids = _Seen(("indicators",), "id")
    for ii, ind in enumerate(targets.indicators):
        problems += ids.check(ii, ind.id) + _check_indicator(targets, ind, ("indicators", ii))
        problems += _check_group(targets, ind, ("indicators", ii))
    return problems + _check_scoring(targets) + _check_unit_map(targets.plan)


def _check_unit_map(plan: Plan) -> list[Problem]:
    """A unit map reads a followed plan's periods: it needs ``follows``, and no unit both ends and goes on."""
    if not plan.unit_map:
        return []
    if plan.follows is None:
        return [(("plan", "unit_map"), "config-unit-map-no-follows", {})]
    from qbplan.textnorm import fold

    problems: list[Problem] = []
    folded = {fold(old): fold(new) for old, new in plan.unit_map.items()}
    for old, new in plan.unit_map.items():
        # A -> B and B -> C: would B's own figures go to B or to C? The map must say it once.
        if folded.get(fold(new), fold(new)) != fold(new):
            problems.append((("plan", "unit_map", old), "config-unit-map-chain", {"old": old, "new": new}))
    return problems


def _check_scoring(targets: Targets) -> list[Problem]:
    """A scoring block's references: its sheet, each criterion's pillar, sheet and rule, the grades' order."""
    spec = targets.scoring
    if spec is None:
        scored = [(ii, i) for ii, i in enumerate(targets.indicators) if i.scoring is not None or i.pillar is not None]
        return [(("indicators", ii, "scoring"), "config-scoring-without-block", {}) for ii, _ in scored]
    problems: list[Problem] = []
    if targets.sheet(spec.sheet) is None:
        problems.append((("scoring", "sheet"), "config-unknown-sheet", {"sheet": spec.sheet}))
    pillars = _Seen(("scoring", "pillars"), "key")
    for pi, pillar in enumerate(spec.pillars):
        problems += pillars.check(pi, pillar.key)
    mins = [g.min for g in spec.grades]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        problems.append((("scoring", "grades"), "config-grades-order", {}))
    elif mins[-1] != 0:
        problems.append((("scoring", "grades", len(mins) - 1, "min"), "config-grades-from-zero", {}))
    ids = _Seen(("scoring", "criteria"), "id")
    known = {i.id for i in targets.indicators}
    for ci, crit in enumerate(spec.criteria):
        base: Path_ = ("scoring", "criteria", ci)
        problems += ids.check(ci, crit.id) + _check_indicator(targets, crit, base)
        if crit.id in known:
            problems.append(((*base, "id"), "config-duplicate-id", {"id": crit.id}))
        if crit.scoring is None:
            problems.append(((*base,), "config-criterion-no-rule", {"indicator": crit.id}))
    problems += _check_unit_targets(targets, spec)
    places: list[tuple[Path_, Indicator]] = [(("indicators", ii), i) for ii, i in enumerate(targets.indicators)]
    places += [(("scoring", "criteria", ci), c) for ci, c in enumerate(spec.criteria)]
    for base, ind in places:
        problems += _check_criterion(targets, spec, ind, base)
    return problems


def _check_unit_targets(targets: Targets, spec: ScoringSpec) -> list[Problem]:
    """Each unit target names a capped criterion, once, with a key the units' sheet does not have."""
    problems: list[Problem] = []
    rules = {i.id: i.scoring for i in targets.scored()}
    sheet = targets.sheet(spec.sheet)
    seen = _Seen(("scoring", "unit_targets"), "criterion")
    for ti, unit_target in enumerate(spec.unit_targets):
        base: Path_ = ("scoring", "unit_targets", ti)
        problems += seen.check(ti, unit_target.criterion)
        rule = rules.get(unit_target.criterion)
        if rule is None or rule.method != "capped":
            params = {"criterion": unit_target.criterion}
            problems.append(((*base, "criterion"), "config-unit-target-criterion", params))
        if sheet is not None and sheet.column(unit_target.key) is not None:
            problems.append(((*base, "key"), "config-duplicate-id", {"id": unit_target.key}))
    return problems


def _check_criterion(targets: Targets, spec: ScoringSpec, ind: Indicator, base: Path_) -> list[Problem]:
    """A scored indicator is on the units' sheet, in a declared pillar, with a rule that makes sense."""
    if ind.scoring is None:
        return [((*base, "pillar"), "config-pillar-without-rule", {"indicator": ind.id})] if ind.pillar else []
    problems: list[Problem] = []
    if ind.pillar is None:
        problems.append(((*base, "scoring"), "config-no-pillar", {"indicator": ind.id}))
    elif ind.pillar not in {p.key for p in spec.pillars}:
        problems.append(((*base, "pillar"), "config-unknown-pillar", {"pillar": ind.pillar}))
    if ind.sheet != spec.sheet:
        problems.append(((*base, "sheet"), "config-criterion-sheet", {"indicator": ind.id, "sheet": spec.sheet}))
    rule = ind.scoring
    if (rule.method == "bands") != bool(rule.bands):
        problems.append(((*base, "scoring", "method"), "config-bands", {}))
    for bi, band in enumerate(rule.bands):
        if band.points > rule.max:
            problems.append(((*base, "scoring", "bands", bi, "points"), "config-band-above-max", {}))
    band_mins = [b.min for b in rule.bands]
    if band_mins != sorted(band_mins, reverse=True) or len(set(band_mins)) != len(band_mins):
        problems.append(((*base, "scoring", "bands"), "config-bands-order", {}))
    if rule.max == 0:
        problems.append(((*base, "scoring", "max"), "config-max-zero", {}))
    return problems


def _check_group(targets: Targets, ind: Indicator, base: Path_) -> list[Problem]:
    """With groups declared, each indicator names one of them; without, none does."""
    keys = {g.key for g in targets.groups}
    if ind.group is None:
        return [((*base,), "config-no-group", {"indicator": ind.id})] if keys else []
    if ind.group not in keys:
        return [((*base, "group"), "config-unknown-group", {"group": ind.group})]
    return []


class _Seen:
    """Ids met so far in a list of the file: a repeat is a ``config-duplicate-id`` problem."""

    def __init__(self, base: Path_, field: str) -> None:
        self.base, self.field, self.seen = base, field, set[str]()

    def check(self, index: int, value: str) -> list[Problem]:
        repeat = value in self.seen
        self.seen.add(value)
        return [((*self.base, index, self.field), "config-duplicate-id", {"id": value})] if repeat else []


def _check_sheet(sheet: Sheet, base: Path_) -> list[Problem]:
    problems: list[Problem] = []
    columns = _Seen((*base, "columns"), "key")
    for ci, col in enumerate(sheet.columns):
        problems += columns.check(ci, col.key) + _check_column(sheet, col, (*base, "columns", ci))
    for ri, rule in enumerate(sheet.rules):
        for part in ("when", "require"):
            for ref, allowed in getattr(rule, part).items():
                problems += _scope_ref(sheet, ref, allowed, (*base, "rules", ri, part, ref))
    return problems


def _check_column(sheet: Sheet, col: Column, path: Path_) -> list[Problem]:
    """An enum has values and only an enum does; ``le`` names int columns of the sheet, from an int column."""
    problems: list[Problem] = []
    if (col.type == "enum") != bool(col.values):
        problems.append((path, "config-enum-values", {"column": col.key}))
    for li, ref in enumerate(col.le):
        other = sheet.column(ref)
        if other is None:
            problems.append(((*path, "le", li), "config-unknown-column", {"column": ref, "sheet": sheet.key}))
        elif other.type != "int" or col.type != "int":
            problems.append(((*path, "le", li), "config-not-int", {"column": ref}))
    problems += _check_since_last(col, path)
    if col.outlier is not None:
        if col.type != "int":
            problems.append(((*path, "outlier"), "config-not-int", {"column": col.key}))
        for bi, ref in enumerate(col.outlier.by):
            if sheet.column(ref) is None:
                params = {"column": ref, "sheet": sheet.key}
                problems.append(((*path, "outlier", "by", bi), "config-unknown-column", params))
    return problems


def _check_since_last(col: Column, path: Path_) -> list[Problem]:
    """Ratios, shares and "may not fall" are for counts; "may not return to no" is for a yes/no."""
    rule = col.since_last
    if rule is None:
        return []
    counts = rule.max_ratio is not None or rule.max_share is not None or rule.no_fall
    if (counts and col.type != "int") or (rule.no_return and col.type != "yesno") or not (counts or rule.no_return):
        return [((*path, "since_last"), "config-since-last", {"column": col.key, "type": col.type})]
    return []


def _check_target(ind: Indicator, base: Path_) -> list[Problem]:
    """The warning level is not above the pass level, nor the stretch goal below it."""
    target = ind.target
    problems: list[Problem] = []
    if target.warn is not None and target.warn > target.pass_:
        problems.append(((*base, "target", "warn"), "config-warn-above-pass", {}))
    if target.stretch is not None and target.stretch < target.pass_:
        problems.append(((*base, "target", "stretch"), "config-stretch-below-pass", {}))
    return problems


def _check_denominator(ind: Indicator, base: Path_) -> list[Problem]:
    """A count has no denominator (it counts rows); a sum needs one."""
    if ind.mode == "count" and ind.denominator:
        return [((*base, "denominator"), "config-count-denominator", {})]
    if ind.mode == "sum" and not ind.denominator:
        return [((*base,), "config-sum-denominator", {})]
    return []


def _check_indicator(targets: Targets, ind: Indicator, base: Path_) -> list[Problem]:
    problems = _check_target(ind, base)
    sheet = targets.sheet(ind.sheet)
    if sheet is None:
        return [*problems, ((*base, "sheet"), "config-unknown-sheet", {"sheet": ind.sheet})]
    want = "yesno" if ind.mode == "count" else "int"
    problems += _column_ref(sheet, ind.numerator, (*base, "numerator"), want)
    problems += _check_denominator(ind, base)
    for di, ref in enumerate(ind.denominator):
        problems += _column_ref(sheet, ref, (*base, "denominator", di), "int")
    for ref, allowed in ind.scope.items():
        problems += _scope_ref(sheet, ref, allowed, (*base, "scope", ref))
    return problems


def _column_ref(sheet: Sheet, ref: str, path: Path_, want: str) -> list[Problem]:
    col = sheet.column(ref)
    if col is None:
        return [(path, "config-unknown-column", {"column": ref, "sheet": sheet.key})]
    if col.type != want:
        return [(path, "config-wrong-type", {"column": ref, "type": want})]
    return []


def _scope_ref(sheet: Sheet, ref: str, allowed: list[str], path: Path_) -> list[Problem]:
    col = sheet.column(ref)
    if col is None:
        return [(path, "config-unknown-column", {"column": ref, "sheet": sheet.key})]
    if col.type != "enum" or col.values is None:
        return []
    known = col.values
    return [
        ((*path, vi), "config-unknown-value", {"value": v, "column": ref})
        for vi, v in enumerate(allowed)
        if v not in known
    ]


def parse_targets(text: str, file: str) -> Targets:
    """Validate a targets document; raise :class:`ConfigError` with its line."""
    data, lines = load_yaml(text, file)
    if not isinstance(data, dict):
        raise ConfigError("config-not-mapping", file=file, line=1, path="")
    try:
        targets = Targets.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key is also a missing one: said as the unknown key, at its own
        # line, with the missing key it may have meant.
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        ordered = [first, *(e for e in errors if e is not first)]
        said = [
            ConfigError(
                "config-invalid",
                file=file,
                line=line_of(lines, loc := _trim_loc(data, tuple(p for p in e["loc"] if isinstance(p, (str, int))))),
                path=format_path(loc),
                detail=_detail(e, _meant(e, errors)),
            )
            for e in ordered[:SHOWN_PROBLEMS]
        ]
        raise _together(said, len(ordered)) from None
    problems = _cross_check(targets)
    if problems:
        said = [
            ConfigError(code, file=file, line=line_of(lines, path), path=format_path(path), **params)
            for path, code, params in problems[:SHOWN_PROBLEMS]
        ]
        raise _together(said, len(problems))
    return targets.model_copy(update={"path": file})


# A targets file's faults said at once, each on its own line, up to this many (then "and N more").
SHOWN_PROBLEMS = 10


def _together(said: list[ConfigError], total: int) -> ConfigError:
    """The first fault, carrying the others found with it; the last says how many more were not shown."""
    first, others = said[0], said[1:]
    last = others[-1] if others else first
    last.params["more"] = total - len(said)
    first.others = tuple(others)
    return first


def _detail(error: Any, meant: str = "") -> PydanticDetail:
    reason = str((error.get("ctx") or {}).get("error", error["msg"]))
    return PydanticDetail(
        type=error["type"], msg=str(error["msg"]), reason=reason, given=error.get("input"), meant=meant
    )


def _meant(unknown: Any, errors: list[Any]) -> str:
    """For an unknown key, the missing key beside it that it is closest to ("titel_vi" -> "title_vi"), or ""."""
    import difflib

    if unknown["type"] != "extra_forbidden":
        return ""
    parent, key = unknown["loc"][:-1], str(unknown["loc"][-1])
    missing = [str(e["loc"][-1]) for e in errors if e["type"] == "missing" and e["loc"][:-1] == parent]
    close = difflib.get_close_matches(key, missing, n=1, cutoff=0.6)
    return close[0] if close else ""


def _trim_loc(data: Any, loc: Path_) -> Path_:
    """Keep the prefix of ``loc`` that exists in the data, plus a missing key."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if _holds(node, part):
            node = node[part]
            out.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and not part.startswith(("function-", "union")):
            out.append(part)  # a missing or unknown key: name it
            break
    return tuple(out)


def _holds(node: Any, part: str | int) -> bool:
    """``node[part]`` exists: a key of a mapping, or an index of a list."""
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def bundled_plans() -> dict[str, Path]:
    """Plan id -> the bundled targets file of that plan; the default plan first.

    Each file in ``data/plans/`` is named by its plan's id (a test keeps them so).
    """
    plans = {DEFAULT_PLAN: bundled_targets_path()}
    for path in sorted((bundled_targets_path().parent / "plans").glob("*.yaml")):
        plans[path.stem] = path
    return plans


# The plan of the bundled targets.yaml (Decision 2972, in the 2017 structure).
DEFAULT_PLAN = "qd-2972-2017-quang-binh"


def plan_path(name: str) -> Path:
    """The bundled targets file of plan ``name``, or a ConfigError listing the plans."""
    plans = bundled_plans()
    if name not in plans:
        raise ConfigError("config-unknown-plan", plan=name, known=", ".join(plans))
    return plans[name]


def load_targets(path: str | os.PathLike[str] | None = None) -> Targets:
    """Load and validate a targets file (see :func:`resolve_targets_path`)."""
    resolved = resolve_targets_path(path)
    name = str(resolved)
    raw = _read_targets(resolved, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("config-encoding", file=name) from None
    targets = parse_targets(text, name)
    if path is None and resolved != bundled_targets_path() and raw != bundled_targets_path().read_bytes():
        targets = targets.model_copy(update={"local_override": True})
    return targets


def _read_targets(resolved: Path, name: str) -> bytes:
    """The targets file's bytes, refused when it is missing, not a regular file or too large."""
    try:
        if resolved.exists() and not resolved.is_file() and not resolved.is_dir():
            # A FIFO or a device would block or never end: only regular files are read.
            raise ConfigError("config-not-file", file=name)
        with open(resolved, "rb") as fh:
            raw = fh.read(MAX_TARGETS_BYTES + 1)
    except (FileNotFoundError, IsADirectoryError):
        raise ConfigError("config-missing", file=name) from None
    except OSError as exc:
        raise ConfigError("config-unreadable", file=name, detail=exc.strerror or str(exc)) from None
    if len(raw) > MAX_TARGETS_BYTES:
        raise ConfigError("config-too-large", file=name, limit=MAX_TARGETS_BYTES)
    return raw
