#!/usr/bin/env bash
# TorchSharp 0.107's native wrapper (libLibTorchSharp.so) asks for GLIBCXX_3.4.32 — one function of GCC 13's libstdc++,
# std::ios_base_library_init() — and Debian 12's libstdc++ is GCC 12's. This builds, into DIR, a library named
# libstdc++.so.6 that supplies that function (it has nothing to do: GCC 12's libstdc++ sets the streams up itself) and
# every version name of the system's libstdc++, and loads the system's libstdc++ for everything else. Put DIR on
# LD_LIBRARY_PATH to run TorchSharp; nothing else changes. Needs a C compiler (Debian: apt-get install gcc).
# Usage: glibcxx-shim.sh DIR
set -euo pipefail
out="$1"
system="$(ldconfig -p | sed -n 's/.*libstdc++\.so\.6 (libc6,x86-64) => //p' | head -1)"
[ -f "$system" ] || { echo "error: the system's libstdc++.so.6 was not found" >&2; exit 1; }
command -v cc >/dev/null || { echo "error: no C compiler (cc): apt-get install gcc" >&2; exit 1; }
mkdir -p "$out/stub"
# Every version name the system's library defines, then the one it lacks, holding the missing function.
strings "$system" | grep -E '^(GLIBCXX|CXXABI)_[0-9.]+$' | sort -u | grep -vx 'GLIBCXX_3.4.32' | sed 's/$/ { };/' >"$out/shim.map"
echo 'GLIBCXX_3.4.32 { global: _ZSt21ios_base_library_initv; local: *; };' >>"$out/shim.map"
printf 'void _ZSt21ios_base_library_initv(void) {}\n' >"$out/shim.c"
# Linked against an empty stand-in named libstdc++-system.so.6, which at run time is a link to the system's library.
printf '' | cc -shared -fPIC -x c - -o "$out/stub/libstdc++-system.so.6" -Wl,-soname,libstdc++-system.so.6
ln -sf "$system" "$out/libstdc++-system.so.6"
cc -shared -fPIC -o "$out/libstdc++.so.6" "$out/shim.c" -Wl,--version-script="$out/shim.map" -Wl,-soname,libstdc++.so.6 \
  -Wl,-rpath,'$ORIGIN' -L"$out/stub" -Wl,--no-as-needed -l:libstdc++-system.so.6
echo "$out/libstdc++.so.6: GLIBCXX_3.4.32 for TorchSharp, the rest from $system"
