-- Progress reports issued on the IEP's schedule (SQLite; 34 CFR 300.320(a)(3)(ii)): the PDF as
-- the family received it, with its SHA-256, reporting date and language. Keep in step with
-- ../postgres/. Append-only: one report per student and reporting date, never changed.
CREATE TABLE progress_reports (
    id           INTEGER PRIMARY KEY,
    district_id  BIGINT NOT NULL REFERENCES districts(id),
    student_id   BIGINT NOT NULL REFERENCES students(id),
    plan_id      BIGINT NOT NULL REFERENCES plans(id),
    reported_on  TEXT NOT NULL,
    lang         TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    issued_at    TEXT NOT NULL,
    UNIQUE (student_id, reported_on)
);
