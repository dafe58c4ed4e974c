#!/usr/bin/env python3
"""Brings src/DeepLearning/PublicAPI.Unshipped.txt up to date with the code: builds the library, then adds every public
symbol the PublicAPI analyzer reports as undeclared (RS0016) and records every declared one that is gone (RS0017) —
removed from Unshipped, or marked *REMOVED* when it had shipped (and unmarked when it comes back). Run it after adding or changing public API, then read
the diff: it is the change to the package's surface that a reviewer sees.

Usage: python3 eng/update-public-api.py
"""
import os, re, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
project = os.path.join(root, "src", "DeepLearning")
shipped_path = os.path.join(project, "PublicAPI.Shipped.txt")
unshipped_path = os.path.join(project, "PublicAPI.Unshipped.txt")

for attempt in range(3):
    build = subprocess.run(["dotnet", "build", project, "-c", "Release", "--no-incremental"], capture_output=True, text=True)
    added = sorted(set(re.findall(r"error RS0016: Symbol '(.+?)' is not part of the declared public API", build.stdout)))
    removed = sorted(set(re.findall(r"error RS0017: Symbol '(.+?)' is part of the declared API", build.stdout)))
    restored = sorted(set(re.findall(r"error RS0050: Symbol '(.+?)' is marked as removed but it isn't deleted", build.stdout)))
    if not added and not removed and not restored:
        break
    shipped = set(open(shipped_path, encoding="utf-8").read().splitlines())
    lines = [l for l in open(unshipped_path, encoding="utf-8").read().splitlines() if l.strip()]
    header = [l for l in lines if l.startswith("#")]
    body = [l for l in lines if not l.startswith("#")]
    for symbol in removed:
        if symbol in body:
            body.remove(symbol)
        elif symbol in shipped and "*REMOVED*" + symbol not in body:
            body.append("*REMOVED*" + symbol)
    body = [l for l in body if l.replace("*REMOVED*", "", 1) not in restored or not l.startswith("*REMOVED*")]
    body += [s for s in added if s not in body]
    body = sorted(set(body), key=lambda l: (l.replace("*REMOVED*", ""), l))
    with open(unshipped_path, "w", encoding="utf-8") as f:
        f.write("\n".join(header + body) + "\n")
    print(f"PublicAPI.Unshipped.txt: {len(added)} added, {len(removed)} removed, {len(restored)} no longer removed")

errors = [l for l in build.stdout.splitlines() if " error " in l and "RS001" not in l]
if errors:
    print("\n".join(sorted(set(errors))[:20]), file=sys.stderr)
    sys.exit(1)
