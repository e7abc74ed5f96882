"""`kill -9` at random moments of `run.py once`: is any reminder lost or sent twice?

    python bench/attack_kills.py [--trials 268] [--schools 30] [--seed 1]

Builds bench/cycle.py's synthetic workbook (N schools), starts the tests' SMTP server on
127.0.0.1 (STARTTLS + AUTH; it records every delivery with its Message-ID and bytes), and runs
`python run.py once` against it, first uninterrupted (the reference: what it delivers and how
long it takes). Each trial then starts from the same workbook and an empty state, kills `once`
with SIGKILL at a random moment -- uniform over the reference's duration (60%), right after a
random number k of its n deliveries (25%), or after the last delivery, uniform over what the
reference took from there to its exit: the write (15%) -- and runs `once` again until it exits
0. Printed: the kills by phase (read from what the killed process left behind), then

- lost: reminder keys the reference delivered that the killed + rerun pair never delivered;
- duplicated: a reminder key delivered in two messages with different Message-IDs;
- in-flight resends: the same Message-ID delivered twice (documented: the email in flight when
  the process died goes again, same bytes); resends whose bytes differ are counted apart;
- journal: a «Журнал рассылки» row per delivered Message-ID, none missing, none twice.

Needs the test extras (pip install -e '.[test]'). No timed assertions: it only counts.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # sheets_sync and tests; this folder stays for attack_common

import attack_common as common

from tests.smtp_server import LoopbackSmtp, make_certificates

MAX_RERUNS = 5


@dataclass
class Totals:
    """What all trials found."""

    trials: int = 0
    phases: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    lost: int = 0
    duplicated: int = 0
    extra: int = 0
    resends: int = 0
    resends_other_bytes: int = 0
    journal_missing: int = 0
    journal_twice: int = 0
    rerun_failures: int = 0
    temp_left: int = 0
    unknown: int = 0  # deliveries whose Message-ID no local state knows (keys not checked)
    bad_trials: list[str] = field(default_factory=list)


@dataclass
class Bench:
    """The fixed parts of every trial: the server, the template workbook, the folders."""

    server: LoopbackSmtp
    template: Path  # the freshly built workbook every trial starts from
    work: Path  # the folder each trial runs in (same path: same Message-IDs)
    config: Path

    def reset(self) -> None:
        for name in ("state", "outbox"):
            shutil.rmtree(self.work / name, ignore_errors=True)
        for tmp in self.work.glob(".bench.xlsx*"):
            tmp.unlink()
        shutil.copy2(self.template, self.workbook)

    @property
    def workbook(self) -> Path:
        return self.work / "bench.xlsx"

    def once(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            common.run_py("once", self.config, "--today", common.TODAY),
            cwd=self.work,
            env=common.environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )


@dataclass(frozen=True)
class Reference:
    keys: frozenset[str]
    emails: int
    seconds: float  # a whole run, start to exit (the median of three)
    tail: float  # from the last delivery to the exit: the write
    mapping: dict[str, tuple[str, ...]]


def wait_for(bench: Bench, proc: subprocess.Popen[bytes], start: int, count: int) -> None:
    """Wait until the server has `count` messages since index `start`, or `proc` ended."""
    while len(bench.server.messages) - start < count and proc.poll() is None:
        time.sleep(0.0005)


def reference(bench: Bench) -> Reference:
    """Run `once` uninterrupted three times from scratch; return what it delivers and how
    long it takes (the spans kills are sampled over)."""
    spans, tails = [], []
    for _ in range(3):
        bench.reset()
        start_index, start = len(bench.server.messages), time.perf_counter()
        proc = bench.once()
        wait_for(bench, proc, start_index, 10**9)
        last = time.perf_counter()
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"the reference run failed (exit {proc.returncode}):\n{err.decode()}")
        ids = common.message_ids(bench.server, start_index)
        spans.append(time.perf_counter() - start)
        tails.append(time.perf_counter() - last)
    mapping = common.state_keys(bench.work / "state")
    keys = frozenset(k for m in ids for k in mapping[m])
    return Reference(keys, len(ids), sorted(spans)[1], sorted(tails)[1], mapping)


def kill(bench: Bench, proc: subprocess.Popen[bytes], rng: random.Random, ref: Reference) -> str:
    """Kill `proc` at a random moment; return how the moment was chosen."""
    start_index, draw = len(bench.server.messages), rng.random()
    if draw < 0.25 and ref.emails > 1:
        wait_for(bench, proc, start_index, rng.randint(1, ref.emails - 1))
        time.sleep(rng.choice([0.0, 0.0, 0.001, 0.003]))
        how = "after k of n deliveries"
    elif draw < 0.4:
        wait_for(bench, proc, start_index, ref.emails)
        time.sleep(rng.uniform(0.0, ref.tail))
        how = "after the last delivery"
    else:
        time.sleep(rng.uniform(0.0, ref.seconds))
        how = "uniform over the run"
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return how


def phase(bench: Bench, proc: subprocess.Popen[bytes], delivered: int, ref: Reference) -> str:
    """Return the step the process was in when it died, from what it left behind."""
    if proc.returncode == 0:
        return "finished before the kill"
    if common.journal_rows(bench.workbook):
        return "after the write"
    if any(bench.work.glob(".bench.xlsx*")):
        return "saving the workbook"
    recorded = common.state_keys(bench.work / "state")
    if not recorded:
        return "start / read / plan"
    if delivered < ref.emails or len(recorded) > delivered:
        return "sending"
    return "sent, before the write"


def trial(bench: Bench, rng: random.Random, ref: Reference, totals: Totals) -> None:
    bench.reset()
    start_index = len(bench.server.messages)
    proc = bench.once()
    totals.modes[kill(bench, proc, rng, ref)] += 1
    delivered_at_kill = len(bench.server.messages) - start_index
    where = phase(bench, proc, delivered_at_kill, ref)
    totals.phases[where] += 1
    for attempt in range(MAX_RERUNS):
        again = bench.once()
        _, err = again.communicate()
        if again.returncode == 0:
            break
        totals.rerun_failures += 1
        if attempt == MAX_RERUNS - 1:
            totals.bad_trials.append(
                f"{where}: rerun exit {again.returncode}: {err.decode()[-300:]}"
            )
    if any(bench.work.glob(".bench.xlsx*")):
        totals.temp_left += 1
    check(bench, start_index, ref, totals, where)


def check(bench: Bench, start_index: int, ref: Reference, totals: Totals, where: str) -> None:
    """Compare this trial's deliveries and journal with the reference."""
    received = bench.server.messages[start_index:]
    mapping = {**ref.mapping, **common.state_keys(bench.work / "state")}
    copies: dict[str, list[bytes]] = {}
    for message in received:
        copies.setdefault(str(message.message["Message-ID"]), []).append(message.data)
    by_key: dict[str, set[str]] = {}
    for mid in copies:
        for key in mapping.get(mid, ()):
            by_key.setdefault(key, set()).add(mid)
    lost = ref.keys - by_key.keys()
    duplicated = [k for k, mids in by_key.items() if len(mids) > 1]
    totals.trials += 1
    totals.lost += len(lost)
    totals.duplicated += len(duplicated)
    totals.extra += len(by_key.keys() - ref.keys)
    for data in copies.values():
        totals.resends += len(data) - 1
        totals.resends_other_bytes += sum(
            d.rstrip(b"\r\n") != data[0].rstrip(b"\r\n") for d in data[1:]
        )
    rows = common.journal_rows(bench.workbook)
    journaled = {r.get("Message-ID", "") for r in rows}
    totals.journal_missing += sum(1 for mid in copies if mid not in journaled)
    totals.journal_twice += common.journal_duplicates(rows)
    totals.unknown += sum(1 for mid in copies if mid not in mapping)
    if lost or duplicated:
        totals.bad_trials.append(f"{where}: lost {len(lost)}, duplicated {len(duplicated)}")


def report(totals: Totals, ref: Reference) -> None:
    print(
        f"\nReference: {ref.emails} emails, {len(ref.keys)} reminder keys; a run takes "
        f"{ref.seconds:.2f} s, {ref.tail:.2f} s of it after the last delivery"
    )
    print(f"Kill moments: {common.counts(totals.modes)}")
    print("\nKills by phase (read from what the killed process left behind):")
    print(common.table(["phase", "kills"], sorted(totals.phases.items(), key=lambda x: -x[1])))
    print()
    print(
        common.table(
            [
                "trials",
                "lost",
                "duplicated",
                "in-flight resends",
                "resends, other bytes",
                "journal missing",
                "journal duplicates",
            ],
            [
                [
                    totals.trials,
                    totals.lost,
                    totals.duplicated,
                    totals.resends,
                    totals.resends_other_bytes,
                    totals.journal_missing,
                    totals.journal_twice,
                ]
            ],
        )
    )
    print(
        f"\nKeys delivered that the reference did not send: {totals.extra}; deliveries with a "
        f"Message-ID no state knows: {totals.unknown}; reruns that did not "
        f"exit 0: {totals.rerun_failures}; trials ending with a save's temp file left: "
        f"{totals.temp_left}"
    )
    for line in totals.bad_trials[:20]:
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=268)
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    common.quiet_servers()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with LoopbackSmtp(make_certificates(folder / "certs")) as server:
            work = folder / "run"
            common.build_workbook(work, args.schools)
            template = folder / "template.xlsx"
            shutil.copy2(work / "bench.xlsx", template)
            bench = Bench(server, template, work, common.write_config(work, server))
            ref = reference(bench)
            print(
                f"{args.trials} trials on {args.schools} schools: kill -9 `run.py once`, then "
                "rerun it until it exits 0 (SMTP on 127.0.0.1)"
            )
            totals = Totals()
            for n in range(args.trials):
                trial(bench, rng, ref, totals)
                if (n + 1) % 25 == 0:
                    print(f"  {n + 1} trials done", flush=True)
            report(totals, ref)


if __name__ == "__main__":
    main()
