-- The parent toolkit (SQLite): the communication log, the document vault, and parent-only
-- districts (a family keeping its own records). Keep in step with ../postgres/.
-- Both logs are append-only: an entry or a document is never edited, so no `revision`.
CREATE TABLE communications (
    id             INTEGER PRIMARY KEY,
    district_id    BIGINT NOT NULL REFERENCES districts(id),
    student_id     BIGINT NOT NULL REFERENCES students(id),
    on_date        TEXT NOT NULL,
    channel        TEXT NOT NULL,
    with_whom      TEXT NOT NULL,
    summary        TEXT NOT NULL,
    follow_up_due  TEXT,
    letter_kind    TEXT,
    event_id       TEXT,
    recorded_by    BIGINT REFERENCES users(id),
    recorded_at    TEXT NOT NULL
);
CREATE INDEX communications_by_student ON communications (student_id, on_date);

CREATE TABLE vault_documents (
    id           INTEGER PRIMARY KEY,
    district_id  BIGINT NOT NULL REFERENCES districts(id),
    student_id   BIGINT NOT NULL REFERENCES students(id),
    name         TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    dated        TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  BIGINT REFERENCES users(id),
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX vault_documents_by_student ON vault_documents (student_id, id);

CREATE TABLE parent_only_districts (
    district_id BIGINT PRIMARY KEY REFERENCES districts(id),
    created_at  TEXT NOT NULL
);
