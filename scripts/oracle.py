#!/usr/bin/env python3
"""Compute cdaudit's six checked git measurements with the git CLI alone.

Usage: scripts/oracle.py REPO SINCE UNTIL [TRUNK]
SINCE/UNTIL are Unix seconds or YYYY-MM-DD (UTC); the window is [SINCE, UNTIL).
Commits count when they landed on trunk in the window: each first-parent trunk commit committed
in it and, for a merge M, what it brought in (git rev-list --no-merges M^1..M). Tags count when
they were made: the tagger time of an annotated tag, else the commit's committer time.
Prints one "id value" line per measurement, to compare with `cdaudit audit --format json`.
"""
import math, re, subprocess, sys, datetime

def git(repo, *args, inp=None):
    return subprocess.run(["git", "-C", repo, *args], input=inp, capture_output=True, check=True, text=True,
                          errors="replace").stdout

def when(s):
    if s.isdigit():
        return int(s)
    return int(datetime.datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc).timestamp())

def pct(vals, p):
    if not vals:
        return None
    vals = sorted(vals)
    rank = max(1, min(len(vals), math.ceil(p / 100 * len(vals))))
    return vals[rank - 1]

ISSUE = re.compile(r"(?:^|[^\w&])#\d+\b|\b[A-Z][A-Z0-9]+-\d+\b", re.ASCII)
# measure.DefaultBotPattern: merges whose commits are all bots' are left out of branch lifetimes
BOT = re.compile(r"\[bot\]|dependabot|renovate|github-actions|gitlab-bot|noreply@github\.com$", re.I)
# Look-alikes that name standards, not issues (as measure.ReferencesIssue).
NOT_KEYS = set("UTF SHA ISO CVE RFC AES HTTP TLS SSL MD ES ECMA IPV GPL LGPL AGPL BSD CC FIPS PEP JSR RSA CWE GHSA UTC GMT WIN X".split())
KEY = re.compile(r"([A-Z][A-Z0-9]*)-\d+", re.ASCII)

def refs_issue(text):
    for m in ISSUE.finditer(text):
        k = KEY.search(m.group(0))
        if k and k.group(1) in NOT_KEYS:
            continue
        return True
    return False
SEMVER = re.compile(r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")

def main():
    repo, since, until = sys.argv[1], when(sys.argv[2]), when(sys.argv[3])
    trunk = sys.argv[4] if len(sys.argv) > 4 else "HEAD"
    inw = lambda t: since <= t < until
    # The non-merge commits that landed in the window.
    form = "--format=%x1e%ct%x00%ae%x00%B"
    recs = [r for r in git(repo, "log", "--first-parent", "--no-merges", form, trunk).split("\x1e")[1:]
            if inw(int(r.split("\x00", 1)[0]))]
    for line in git(repo, "log", "--first-parent", "--merges", "--format=%H %ct", trunk).split("\n"):
        f = line.split()
        if f and inw(int(f[1])):
            recs += git(repo, "log", "--no-merges", form, f"{f[0]}^1..{f[0]}").split("\x1e")[1:]
    n = refs = 0
    authors = set()
    for rec in recs:
        ct, ae, body = rec.split("\x00", 2)
        n += 1
        authors.add(ae.lower())
        if refs_issue(body.rstrip("\n")):
            refs += 1
    merges = []
    for line in git(repo, "log", "--first-parent", "--merges", "--format=%H %ct", trunk).split("\n"):
        if line and inw(int(line.split()[1])):
            merges.append(line.split())
    lifes = []
    for h, ct in merges:
        brought = [l.split(" ", 1) for l in git(repo, "log", "--format=%at %ae", f"{h}^1..{h}^2").split("\n") if l]
        if not brought or all(BOT.search(ae.lower()) for _, ae in brought):
            continue  # a bot's branch is not the team's habit
        first = min(int(a) for a, _ in brought)
        if len(brought) == 1 and int(ct) - first < 300:
            continue  # squashed at merge time: no branch lifetime in the clone
        lifes.append((int(ct) - first) / 3600)
    tags = []
    tagged = {}
    for line in git(repo, "for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname) %(taggerdate:unix)",
                    "refs/tags").split("\n"):
        if line:
            parts = line.split(" ")
            tags.append((parts[0], parts[2] if len(parts) > 2 and parts[2] else parts[1]))
            if len(parts) > 3 and parts[3].isdigit() and parts[3] != "0":
                tagged[parts[0]] = int(parts[3])
    times = {}
    if tags:
        objs = "\n".join(t for _, t in tags) + "\n"
        commits = [l.split()[0] for l in git(repo, "cat-file", "--batch-check=%(objectname) %(objecttype)", inp=objs).split("\n")
                   if l.endswith(" commit")]
        objs = "\n".join(commits) + "\n"
        for line in git(repo, "log", "--no-walk=unsorted", "--format=%H %ct", "--stdin", inp=objs).split("\n"):
            if line:
                h, ct = line.split()
                times[h] = int(ct)
    tin = [name for name, t in tags if t in times and inw(tagged.get(name, times[t]))]
    sem = sum(1 for name in tin if SEMVER.match(name))
    fmt = lambda v: "null" if v is None else (f"{v:.6g}" if isinstance(v, float) else str(v))
    print("git.commits", n)
    print("git.authors", len(authors))
    print("git.trunk_merges", len(merges))
    print("git.branch_lifetime_hours.p50", fmt(pct(lifes, 50)))
    print("git.branch_lifetime_hours.p90", fmt(pct(lifes, 90)))
    print("git.tags", len(tin))
    print("git.tags_semver_ratio", fmt(sem / len(tin) if tin else None))
    print("git.issue_ref_ratio", fmt(refs / n if n else None))

if __name__ == "__main__":
    main()
