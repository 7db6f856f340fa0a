#!/usr/bin/env bash
# Ed-Fi import speed (issue "Interop and reporting"): N synthetic students and N special-education
# program associations (one each) as Ed-Fi JSON, imported by `iep504 import edfi` into an empty
# SQLite database; beside it, SQLite's own `.import` of the same association rows as CSV into a
# bare table, the floor any importer is compared with. Prints records/s and peak memory of both.
#   bash bench/edfi_import.sh [N]        # N = 1000000 by default
# Needs: a release build (cargo build --release), python3, sqlite3, GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/iep504}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== writing $N students and $N associations as Ed-Fi JSON and as CSV" >&2
python3 - "$work" "$N" <<'PY'
import json, random, sys
out, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(504)
settings = ["Inside regular class 80% or more of the day",
            "Inside regular class between 40-79% of the day",
            "Inside regular class less than 40% of the day"]
disabilities = ["Specific Learning Disability", "Speech or Language Impairment", "Autism Spectrum Disorders",
                "Other Health Impairment", "Intellectual Disability", "Serious Emotional Disability"]
program = {"educationOrganizationId": 255901, "programName": "Special Education",
           "programTypeDescriptor": "uri://ed-fi.org/ProgramTypeDescriptor#Special Education"}
with open(f"{out}/students.json", "w") as students, \
     open(f"{out}/studentSpecialEducationProgramAssociations.json", "w") as assocs, \
     open(f"{out}/associations.csv", "w") as csv, \
     open(f"{out}/students.csv", "w") as students_csv:
    students.write("[\n"); assocs.write("[\n")
    csv.write("student,begin_date,primary_disability,environment\n")
    students_csv.write("student,birth_date,first_name,last_name\n")
    for i in range(n):
        sep = ",\n" if i else ""
        sid = f"S{i:07d}"
        year = rng.randint(2005, 2021)
        born = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        students.write(sep + json.dumps({"studentUniqueId": sid, "birthDate": born,
                                         "firstName": f"Student{i}", "lastSurname": "Synthetic"}))
        students_csv.write(f"{sid},{born},Student{i},Synthetic\n")
        begin = f"{rng.randint(2019, 2026)}-{rng.randint(1, 8):02d}-{rng.randint(1, 28):02d}"
        setting, disability = rng.choice(settings), rng.choice(disabilities)
        assocs.write(sep + json.dumps({
            "educationOrganizationReference": {"educationOrganizationId": 255901},
            "programReference": program, "studentReference": {"studentUniqueId": sid},
            "beginDate": begin, "ideaEligibility": True,
            "specialEducationSettingDescriptor": "uri://ed-fi.org/SpecialEducationSettingDescriptor#" + setting,
            "disabilities": [{"disabilityDescriptor": "uri://ed-fi.org/DisabilityDescriptor#" + disability,
                              "orderOfDisability": 1}]}))
        csv.write(f"{sid},{begin},{disability},{setting}\n")
    students.write("\n]\n"); assocs.write("\n]\n")
PY
ls -la "$work" >&2

records=$((2 * N))
"$BIN" --db "$work/import.sqlite" migrate >/dev/null
"$BIN" --db "$work/import.sqlite" gen --students 1 --seed 1 >/dev/null
echo "== iep504 import edfi ($records records)" >&2
/usr/bin/time -f "%e %M" -o "$work/time.txt" \
  "$BIN" --db "$work/import.sqlite" import edfi "$work/students.json" \
  "$work/studentSpecialEducationProgramAssociations.json" >"$work/import.out" 2>"$work/import.err" \
  || { cat "$work/import.err" >&2; exit 1; }
grep -v "^$" "$work/import.err" >&2 || true
read -r seconds kib <"$work/time.txt"

echo "== sqlite3 .import of the same $records rows as CSV into bare tables" >&2
/usr/bin/time -f "%e %M" -o "$work/time-sqlite.txt" sqlite3 "$work/bare.sqlite" \
  "CREATE TABLE students (student TEXT, birth_date TEXT, first_name TEXT, last_name TEXT);" \
  "CREATE TABLE associations (student TEXT, begin_date TEXT, primary_disability TEXT, environment TEXT);" \
  ".import --csv --skip 1 $work/students.csv students" \
  ".import --csv --skip 1 $work/associations.csv associations"
read -r sqlite_seconds sqlite_kib <"$work/time-sqlite.txt"

python3 - "$N" "$records" "$seconds" "$kib" "$sqlite_seconds" "$sqlite_kib" <<'PY'
import sys
n, records, s, kib, ss, skib = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
print(f"iep504 import edfi: {records} records ({n} students + {n} associations) in {s:.1f} s = {records / s:,.0f} records/s, peak {kib / 1024:.0f} MiB")
print(f"sqlite3 .import:    {records} rows in {ss:.1f} s = {records / ss:,.0f} rows/s, peak {skib / 1024:.0f} MiB")
print(f"iep504 takes {s / ss:.1f}x as long as sqlite3 .import (target: within 3x)")
PY
