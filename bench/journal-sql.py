#!/usr/bin/env python3
"""Prints one of the seat journal's statements as the service sends it, read from a version of the source.

    bench/journal-sql.py REV NAME     # e.g. HEAD INSERT_BOOKINGS, or 8e4c151 INSERT_BOOKINGS (before the split)

Evaluates the Java constant (string literals, + and other constants of the same class) so that the
benchmark runs the statement the code has, never a copy of it.
"""
import re
import subprocess
import sys

rev, name = sys.argv[1], sys.argv[2]
for path in ("src/main/java/madoguchi/store/JournalSql.java", "src/main/java/madoguchi/store/PgSeatJournal.java"):
    try:
        source = subprocess.run(["git", "show", "%s:%s" % (rev, path)], check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError:
        continue
    if re.search(r"static final String %s = " % name, source):
        break
else:
    sys.exit("no %s at %s" % (name, rev))
rows = subprocess.run(["git", "show", "%s:src/main/java/madoguchi/store/Rows.java" % rev], check=True, capture_output=True, text=True).stdout
constants = {}
for text, prefix in ((rows, "Rows."), (source, "")):
    for m in re.finditer(r"static final String (\w+) = (.*?);\n", text, re.S):
        constants[prefix + m.group(1)] = m.group(2)


def value(expr):
    out = []
    for token in re.findall(r'"(?:[^"\\]|\\.)*"|[\w.]+', expr):
        if token.startswith('"'):
            out.append(bytes(token[1:-1], "utf-8").decode("unicode_escape"))
        else:
            out.append(value(constants[token]))
    return "".join(out)


print(value(constants[name]))
