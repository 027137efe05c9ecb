"""Time qbplan against its peers on the same files, in one run, on this machine.

    pip install -e ".[bench]"
    python benchmarks/run.py                 # 10k and 100k rows, 200k valid/invalid/admin, small files, folder
    python benchmarks/run.py --large         # and 1M rows (about 10 minutes)

Every measurement is a whole process (interpreter start and imports
included), the median of ``--repeat`` runs, with the peak memory of its whole
process tree (parent and workers, summed) sampled every 10 ms with psutil.
Ratios are against a reference measured in the same run, the runs taking
turns (qbplan, the reference, qbplan, ...) so that a load that comes and goes
on a shared machine weighs on both alike: the bare fastexcel read for large
files, ``import pandas`` / ``import typer`` for small ones.
Results go to benchmarks/results.json and are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bounded  # noqa: E402 - benchmarks/ is not a package
import generate  # noqa: E402
import intake_load  # noqa: E402

PY = sys.executable
SIZES = {"10k": 10_000, "100k": 100_000, "200k": 200_000, "1M": 1_000_000}
AGENCY_SHEET = "Cơ quan, đơn vị"

READERS = {
    "qbplan check": [PY, "-m", "qbplan", "check", "{file}", "--format", "json", "--quiet", "--fail-on", "never"],
    "fastexcel → Arrow (bare read)": [
        PY,
        "-c",
        "import fastexcel,sys; r=fastexcel.read_excel(sys.argv[1]); "
        "[r.load_sheet(n).to_arrow() for n in r.sheet_names]",
        "{file}",
    ],
    "python-calamine → lists (bare read)": [
        PY,
        "-c",
        "import python_calamine as c,sys; b=c.CalamineWorkbook.from_path(sys.argv[1]); "
        "[b.get_sheet_by_name(n).to_python() for n in b.sheet_names]",
        "{file}",
    ],
    "pandas.read_excel(engine=calamine)": [
        PY,
        "-c",
        "import pandas as pd,sys; pd.read_excel(sys.argv[1], sheet_name=None, engine='calamine')",
        "{file}",
    ],
    "pandas.read_excel(engine=openpyxl)": [
        PY,
        "-c",
        "import pandas as pd,sys; pd.read_excel(sys.argv[1], sheet_name=None, engine='openpyxl')",
        "{file}",
    ],
    "frictionless validate (Table Schema)": [PY, str(HERE / "peers.py"), "frictionless", "{file}"],
    "pandera (pandas + calamine read)": [PY, str(HERE / "peers.py"), "pandera", "{file}"],
}
# Too slow at 1M rows to repeat (minutes each): run once, or skip.
SLOW = {"pandas.read_excel(engine=openpyxl)": "skip", "frictionless validate (Table Schema)": "once"}


def interleaved(cmds: dict[str, list[str]], repeat: int, once: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Median wall time and peak summed RSS of each command's process tree, over runs taken in turns.

    Round k runs every command once (those in ``once`` only in round 0).

    Taking turns, not running one command ``repeat`` times and then the next,
    so that a load that comes and goes on a shared machine weighs on each
    command alike, and their ratio holds.
    """
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in cmds}
    for round_ in range(repeat):
        for name, cmd in cmds.items():
            if round_ == 0 or name not in once:
                runs[name].append(_run(cmd))
    return {name: _summarise(results) for name, results in runs.items()}


def _summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    times = [r["seconds"] for r in results]
    return {
        "seconds": round(statistics.median(times), 3),
        "runs": [round(t, 3) for t in times],
        "peak_mb": round(max(r["peak"] for r in results) / 2**20, 1),
        "exit_codes": [r["code"] for r in results],
    }


def _run(cmd: list[str], cwd: Path = ROOT) -> dict[str, Any]:
    """One run: wall time, peak summed RSS of the process tree, exit code."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1) and err:
        print(f"  ! {cmd[:4]} exited {proc.returncode}: {err.strip().splitlines()[-1][:200]}", file=sys.stderr)
    return {"seconds": seconds, "peak": peak, "code": proc.returncode}


def available(tool: str) -> bool:
    module = {"frictionless": "frictionless", "pandera": "pandera"}.get(tool.split()[0])
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def large_files(sizes: list[str], data: Path, repeat: int) -> list[dict[str, Any]]:
    out = []
    for label in sizes:
        path = data / f"agency-{label}.xlsx"
        if not path.exists():
            print(f"generating {path} …", file=sys.stderr)
            generate.write(path, SIZES[label])
        cmds, once = {}, set()
        for tool, template in READERS.items():
            slow = SLOW.get(tool) if label == "1M" else None
            if not available(tool) or slow == "skip":
                reason = "not installed" if slow != "skip" else "too slow at this size (minutes per run)"
                out.append({"size": label, "tool": tool, "skipped": reason})
                continue
            cmds[tool] = [part.replace("{file}", str(path)) for part in template]
            if slow == "once":
                once.add(tool)
        print(f"{label:>5}  {', '.join(cmds)} …", file=sys.stderr)
        for tool, result in interleaved(cmds, repeat, frozenset(once)).items():
            out.append({"size": label, "tool": tool, "file_mb": round(path.stat().st_size / 2**20, 1), **result})
    return out


# The valid file, the historical mix of four kinds, the administrative layout,
# then 20 cells of each kind the row model rejects, one file per kind.
KINDS = tuple(f"invalid-{kind}" for kind in generate.INVALID_KINDS)
VARIANTS = ("valid", "invalid", "admin", *KINDS)
VARIANT_READERS = ("qbplan check", "fastexcel → Arrow (bare read)")
INVALID_CELLS = 20


def variants(sizes: list[str], data: Path, repeat: int, only: tuple[str, ...] = VARIANTS) -> list[dict[str, Any]]:
    """The same agency sheet valid, with 20 invalid cells of each kind spread through it, and in the report layout."""
    out = []
    for label in sizes:
        for variant in only:
            path = data / f"agency-{label}-{variant}.xlsx"
            if not path.exists():
                print(f"generating {path} …", file=sys.stderr)
                generate.write(path, SIZES[label], variant=variant)
            cmds = {tool: [part.replace("{file}", str(path)) for part in READERS[tool]] for tool in VARIANT_READERS}
            print(f"{label:>5}  {variant:<24} qbplan and the bare read, taking turns …", file=sys.stderr)
            exact = _findings_exact(path, variant)
            for tool, result in interleaved(cmds, repeat).items():
                out.append({"size": label, "variant": variant, "tool": tool, **result, **exact})
    return out


def _findings_exact(path: Path, variant: str) -> dict[str, Any]:
    """For one kind's file: whether qbplan gave exactly its 20 findings of the kind's code, and nothing else."""
    if not variant.startswith("invalid-"):
        return {}
    code = generate.INVALID_KINDS[variant.removeprefix("invalid-")][0]
    cmd = [PY, "-m", "qbplan", "check", str(path), "--format", "json", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, check=False)
    errors = json.loads(done.stdout)["errors"]
    return {"expected_code": code, "findings_exact": [e["code"] for e in errors] == [code] * INVALID_CELLS}


def small_files(repeat: int) -> list[dict[str, Any]]:
    cases = {
        "qbplan check samples/survey.xlsx": [PY, "-m", "qbplan", "check", "samples/survey.xlsx", "-q"],
        'python -c "import pandas"': [PY, "-c", "import pandas"],
        "qbplan --help": [PY, "-m", "qbplan", "--help"],
        'python -c "import typer"': [PY, "-c", "import typer"],
    }
    print(f"small  {', '.join(cases)}, taking turns …", file=sys.stderr)
    return [{"tool": name, **result} for name, result in interleaved(cases, max(repeat, 5)).items()]


def communes(count: int, data: Path) -> Path:
    """The folder of ``count`` commune workbooks, generated once."""
    target = data / f"communes-{count}"
    if not target.exists() or len(list(target.glob("*.xlsx"))) != count:
        print(f"generating {count} commune workbooks in {target} …", file=sys.stderr)
        target.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            generate.write_commune(target / f"xa-{i:05d}.xlsx", i)
    return target


def folder(count: int, data: Path, repeat: int) -> list[dict[str, Any]]:
    target = communes(count, data)
    cmds = {
        f"qbplan check <{count} files> --jobs {jobs}": [
            *[PY, "-m", "qbplan", "check", str(target), "-f", "json", "-q", "--fail-on", "never"],
            *["-j", str(jobs)],
        ]
        for jobs in (1, 2)
    }
    print(f"folder {count} files, --jobs 1 and 2, taking turns …", file=sys.stderr)
    return [{"tool": tool, **result} for tool, result in interleaved(cmds, repeat).items()]


def ranking(count: int, data: Path, repeat: int) -> list[dict[str, Any]]:
    """``rank`` against ``check`` over the same commune folder and scoring plan, taking turns (goal: ≤ 1.2×)."""
    import yaml

    target = communes(count, data)
    raw = yaml.safe_load((ROOT / "samples" / "cham-diem" / "targets.yaml").read_text(encoding="utf-8"))
    # The generated communes are not the sample register's units: the plan without its register.
    raw.pop("register", None)
    plan = data / "cham-diem.yaml"
    plan.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    base = [PY, "-m", "qbplan"]
    cmds = {
        f"qbplan check <{count} files>": [*base, "check", str(target), "-t", str(plan), "-f", "json", "-q",
                                          "--fail-on", "never"],
        f"qbplan rank <{count} files>": [*base, "rank", str(target), "-t", str(plan), "-f", "json"],
    }  # fmt: skip
    print(f"rank and check over {count} files, taking turns …", file=sys.stderr)
    return [{"tool": tool, **result} for tool, result in interleaved(cmds, repeat).items()]


def _ratio(a: dict[str, Any], b: dict[str, Any], key: str) -> float | None:
    if "skipped" in a or "skipped" in b or not b.get(key):
        return None
    return round(a[key] / b[key], 2)


def report(results: dict[str, Any]) -> str:
    lines = [f"Machine: {results['machine']}", ""]
    lines += [
        "| rows | tool | median s | peak MB | × fastexcel time | × fastexcel memory |",
        "|---|---|--:|--:|--:|--:|",
    ]
    by_size: dict[str, dict[str, Any]] = {}
    for r in results["large"]:
        by_size.setdefault(r["size"], {})[r["tool"]] = r
    for size, tools in by_size.items():
        ref = tools["fastexcel → Arrow (bare read)"]
        for tool, r in tools.items():
            if "skipped" in r:
                lines.append(f"| {size} | {tool} | — | — | — | — | ({r['skipped']})")
                continue
            lines.append(
                f"| {size} | {tool} | {r['seconds']:.2f} | {r['peak_mb']:.0f} | "
                f"{_ratio(r, ref, 'seconds')} | {_ratio(r, ref, 'peak_mb')} |"
            )
    lines += ["", "| small files | median s | peak MB |", "|---|--:|--:|"]
    for r in results["small"]:
        lines.append(f"| {r['tool']} | {r['seconds']:.2f} | {r['peak_mb']:.0f} |")
    small = {r["tool"]: r for r in results["small"]}
    check_ratio = _ratio(small["qbplan check samples/survey.xlsx"], small['python -c "import pandas"'], "seconds")
    help_ratio = _ratio(small["qbplan --help"], small['python -c "import typer"'], "seconds")
    lines += [
        "",
        f"- `qbplan check samples/survey.xlsx` / `import pandas`: {check_ratio}× (goal ≤ 2)",
        f"- `qbplan --help` / `import typer`: {help_ratio}× (goal ≤ 1.5)",
    ]
    for size, tools in by_size.items():
        q, ref = tools["qbplan check"], tools["fastexcel → Arrow (bare read)"]
        fr = tools.get("frictionless validate (Table Schema)", {})
        # The goals are set for the 1M-row file; smaller files are shown for the trend.
        goal = (" (goal ≤ 1.5)", " (goal ≤ 1.5)", " (goal ≥ 10)") if size == "1M" else ("", "", "")
        lines.append(
            f"- {size}: qbplan / fastexcel time {_ratio(q, ref, 'seconds')}×{goal[0]}, memory "
            f"{_ratio(q, ref, 'peak_mb')}×{goal[1]}; frictionless / qbplan "
            f"{_ratio(fr, q, 'seconds') if fr and 'skipped' not in fr else '—'}×{goal[2]}"
        )
    if results.get("variants"):
        lines += ["", "| rows | file | qbplan s | bare read s | × time (goal) | qbplan MB | bare MB | × memory |"]
        lines.append("|---|---|--:|--:|--:|--:|--:|--:|")
        goals = {"valid": "≤ 1.5", "admin": "≤ 2"}
        pairs: dict[tuple[str, str], dict[str, Any]] = {}
        for r in results["variants"]:
            pairs.setdefault((r["size"], r["variant"]), {})[r["tool"]] = r
        for (size, variant), tools in pairs.items():
            q, ref = tools["qbplan check"], tools["fastexcel → Arrow (bare read)"]
            exact = {True: " exact", False: " **NOT exact**"}.get(q.get("findings_exact"), "")  # type: ignore[call-overload]
            lines.append(
                f"| {size} | {variant}{exact} | {q['seconds']:.2f} | {ref['seconds']:.2f} | "
                f"{_ratio(q, ref, 'seconds')} ({goals.get(variant, '≤ 2')}) | {q['peak_mb']:.0f} | "
                f"{ref['peak_mb']:.0f} | {_ratio(q, ref, 'peak_mb')} |"
            )
    if results.get("bounded"):
        lines += ["", "| once unbounded | before s | now s | |", "|---|--:|--:|---|"]
        for r in results["bounded"]:
            peer = f"{r['peer']} on the same input: {r['peer_seconds']:.2f} s" if r.get("peer") else ""
            lines.append(f"| {r['case']} | {r['before_seconds']:.1f} | {r['seconds']:.2f} | {peer} |")
    if results.get("intake"):
        r = results["intake"]
        lines.append(
            f"- intake on loopback: {r['recorded']}/{r['units']} uploads recorded, {r['concurrency']} at a time, "
            f"{r['uploads_per_second']} uploads/s; verdict p50 {r['verdict_p50_s']} s, p95 {r['verdict_p95_s']} s"
        )
    if results.get("folder"):
        one, two = results["folder"]
        lines.append(
            f"- folder of {results['folder_files']} commune workbooks: {one['seconds']:.1f} s with 1 worker, "
            f"{two['seconds']:.1f} s with 2: speed-up {_ratio(one, two, 'seconds')}× (goal ≥ 1.7)"
        )
    if results.get("rank"):
        checked, ranked = results["rank"]
        lines.append(
            f"- rank over the same folder: {ranked['seconds']:.1f} s against check's {checked['seconds']:.1f} s, "
            f"{_ratio(ranked, checked, 'seconds')}× (goal ≤ 1.2); peak {ranked['peak_mb']:.0f} MB against "
            f"{checked['peak_mb']:.0f} MB"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="also 1M rows")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=int, default=3321, help="commune workbooks in the folder test (0: skip)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "qbplan-bench")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument(
        "--only",
        default="large,variants,small,folder,bounded,intake,rank",
        help="comma-separated parts to (re)measure; the others are kept from --out",
    )
    parser.add_argument("--report", action="store_true", help="print the table from --out; measure nothing")
    parser.add_argument(
        "--variant-sizes",
        default=None,
        help="comma-separated sizes of the variants part (default: 200k, and 1M with --large)",
    )
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help="comma-separated variants of the variants part (default: all)"
    )
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(args.out.read_text(encoding="utf-8"))))
        return
    parts = set(args.only.split(","))
    sizes = ["10k", "100k", *(["1M"] if args.large else [])]
    results: dict[str, Any] = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    results["machine"] = (
        f"{platform.platform()}, {os.cpu_count()} cores, "
        f"{round(psutil.virtual_memory().total / 2**30)} GiB, Python {platform.python_version()}"
    )
    results["date"] = time.strftime("%Y-%m-%d")
    if "large" in parts:
        results["large"] = large_files(sizes, args.data, args.repeat)
    if "variants" in parts:
        chosen = tuple(v for v in args.variants.split(",") if v)
        chosen_sizes = (
            args.variant_sizes.split(",") if args.variant_sizes else ["200k", *(["1M"] if args.large else [])]
        )
        results["variants"] = variants(chosen_sizes, args.data, args.repeat, chosen)
    if "small" in parts:
        results["small"] = small_files(args.repeat)
    if "bounded" in parts:
        results["bounded"] = bounded.measure()
    if "intake" in parts:
        results["intake"] = intake_load.measure(units=192, concurrency=16)
    if "folder" in parts and args.folder:
        results["folder_files"] = args.folder
        results["folder"] = folder(args.folder, args.data, args.repeat)
    if "rank" in parts and args.folder:
        results["rank"] = ranking(args.folder, args.data, args.repeat)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(report(results))


if __name__ == "__main__":
    main()
