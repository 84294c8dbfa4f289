#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Build cti._libcti, the cffi (API mode) extension of the binding.

The declarations handed to cffi are not a copy of the headers: they are
lib/cti.h and lib/cti_card.h themselves, run through the C preprocessor
(with empty stand-ins for <stddef.h> and <stdint.h>, whose types cffi
knows), plus one "#define NAME ..." per integer macro the headers define,
whose value cffi then takes from the compiler. A function added to the
headers is therefore bound with no change here; the package only needs
the method that calls it.

Usage: build_ffi.py SRCDIR(lib/) LIBDIR(build/lib) OUTDIR TMPDIR
"""
import os
import re
import subprocess
import sys

import cffi

HEADERS = ("cti.h", "cti_card.h")
# Macros that are not constants a program passes: include guards, and
# strings (cffi's "#define X ..." takes integers only).
MACRO_RE = re.compile(r"^#define (CTI_[A-Z0-9_]+) (.+)$")


# Stand-ins for the system headers the public headers include: cffi knows
# size_t, bool and the stdint types itself, and takes the size of the
# others from the compiler ("int..." is cffi's "some integer type").
FAKE_HEADERS = {
    "sys/types.h": "".join("typedef int... %s;\n" % t for t in (
        "off_t", "pid_t", "uid_t", "gid_t", "mode_t", "time_t")),
    "time.h": "typedef int... time_t;\n"
              "struct timespec { long tv_sec; long tv_nsec; ...; };\n",
}
SYS_INCLUDE_RE = re.compile(r"^\s*#\s*include\s*<([^>]+)>", re.M)


def fake_includes(srcdir, fake):
    """An empty stand-in for every <header> lib/*.h includes (so that cpp
    need not read glibc's, which cffi's parser does not take), or the
    declarations of FAKE_HEADERS; a type they do not give fails in cdef
    with its name."""
    names = set()
    for h in os.listdir(srcdir):
        if h.endswith(".h"):
            with open(os.path.join(srcdir, h), encoding="utf-8") as f:
                names.update(SYS_INCLUDE_RE.findall(f.read()))
    for name in names:
        path = os.path.join(fake, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="ascii") as f:
            f.write(FAKE_HEADERS.get(name, "/* known to cffi */\n"))


def preprocess(srcdir, tmpdir, extra):
    """Run cpp over the headers alone; return its output."""
    fake = os.path.join(tmpdir, "fakeinc")
    os.makedirs(fake, exist_ok=True)
    fake_includes(srcdir, fake)
    src = "".join('#include "%s"\n' % h for h in HEADERS)
    # GNU C that a header may use and cffi's C parser does not take:
    # attributes and restrict qualify, they do not change the ABI.
    gnu = ["-D__attribute__(x)=", "-D__restrict=", "-Drestrict=",
           "-D__extension__=", "-D__inline=inline"]
    cmd = [os.environ.get("CPP", "cpp"), "-P", "-undef", "-nostdinc",
           "-I", fake, "-I", srcdir] + gnu + extra + ["-"]
    return subprocess.run(cmd, input=src, capture_output=True, text=True,
                          check=True).stdout


def constants(srcdir, tmpdir):
    """Every integer CTI_* macro of the headers, as cffi placeholders."""
    out = []
    for line in preprocess(srcdir, tmpdir, ["-dM"]).splitlines():
        m = MACRO_RE.match(line)
        if m and '"' not in m.group(2) and "(" not in m.group(1):
            out.append("#define %s ..." % m.group(1))
    return "\n".join(sorted(out))


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    srcdir, libdir, outdir, tmpdir = (os.path.abspath(a) for a in sys.argv[1:])
    os.makedirs(tmpdir, exist_ok=True)
    # mk/common.mk's WERROR (CI keeps it on); cffi's generated code is
    # clean under -Wall, so a warning there means a header problem.
    werror = ["-Werror"] if os.environ.get("WERROR", "1") == "1" else []
    ffi = cffi.FFI()
    ffi.cdef(preprocess(srcdir, tmpdir, []))
    ffi.cdef(constants(srcdir, tmpdir))
    ffi.set_source("cti._libcti",
                   "".join('#include "%s"\n' % h for h in HEADERS),
                   include_dirs=[srcdir], library_dirs=[libdir],
                   libraries=["cti"],
                   extra_compile_args=["-O2", "-Wall"] + werror)
    so = ffi.compile(tmpdir=tmpdir, verbose=False)
    os.makedirs(os.path.join(outdir, "cti"), exist_ok=True)
    dest = os.path.join(outdir, "cti", os.path.basename(so))
    os.replace(so, dest)
    print("build_ffi: %s" % dest)


if __name__ == "__main__":
    main()
