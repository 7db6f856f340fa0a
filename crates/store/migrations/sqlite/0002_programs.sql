-- Program associations (SQLite): the Ed-Fi student special-education / Section 504 program
-- association, read by the child-count and CRDC reports. Keep in step with ../postgres/.
CREATE TABLE program_associations (
    id                    INTEGER PRIMARY KEY,
    district_id           INTEGER NOT NULL REFERENCES districts(id),
    student_id            INTEGER NOT NULL REFERENCES students(id),
    program               TEXT NOT NULL CHECK (program IN ('idea', 'section504')),
    begin_date            TEXT NOT NULL,
    end_date              TEXT,
    primary_disability    TEXT,
    -- JSON array of {"code": EDFacts code, "order": orderOfDisability}
    disabilities          TEXT NOT NULL DEFAULT '[]',
    environment           TEXT,
    exit_basis            TEXT,
    section504_disability TEXT,
    source_id             TEXT,
    UNIQUE (student_id, program, begin_date)
);
CREATE INDEX program_associations_by_district ON program_associations (district_id, program, begin_date);
