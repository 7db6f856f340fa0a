-- iep504 initial schema (SQLite). Keep in step with ../postgres/0001_init.sql.
CREATE TABLE districts (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    calendar     TEXT NOT NULL DEFAULT '{}',
    policy       TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL
);

CREATE TABLE schools (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts(id),
    name        TEXT NOT NULL,
    source_id   TEXT,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (district_id, source_id)
);

CREATE TABLE students (
    id                 INTEGER PRIMARY KEY,
    district_id        INTEGER NOT NULL REFERENCES districts(id),
    school_id          INTEGER REFERENCES schools(id),
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    birth_date         TEXT NOT NULL,
    jurisdiction       TEXT NOT NULL,
    grade              TEXT,
    preferred_language TEXT NOT NULL DEFAULT 'en',
    source_id          TEXT,
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    obligations_as_of  TEXT,
    created_at         TEXT NOT NULL,
    UNIQUE (district_id, source_id)
);
CREATE INDEX students_by_district ON students (district_id, last_name, first_name);

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    district_id        INTEGER NOT NULL REFERENCES districts(id),
    username           TEXT NOT NULL UNIQUE,
    display_name       TEXT NOT NULL,
    role               TEXT NOT NULL,
    password_hash      TEXT,
    totp_secret        TEXT,
    totp_enabled       BOOLEAN NOT NULL DEFAULT FALSE,
    preferred_language TEXT NOT NULL DEFAULT 'en',
    email              TEXT,
    source_id          TEXT,
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    created_at         TEXT NOT NULL
);

CREATE TABLE links (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    student_id  INTEGER NOT NULL REFERENCES students(id),
    district_id INTEGER NOT NULL REFERENCES districts(id),
    relation    TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, student_id, relation)
);
CREATE INDEX links_by_student ON links (student_id);

-- Append-only: rows are never updated or deleted; a correction is a new event.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts(id),
    student_id  INTEGER NOT NULL REFERENCES students(id),
    event_id    TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    UNIQUE (student_id, event_id)
);

-- The law engine's results, refreshed whenever a student's events change.
CREATE TABLE obligations (
    student_id   INTEGER NOT NULL REFERENCES students(id),
    ordinal      INTEGER NOT NULL,
    district_id  INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    due          TEXT NOT NULL,
    status       TEXT NOT NULL,
    triggered_by TEXT,
    satisfied_by TEXT,
    satisfied_on TEXT,
    PRIMARY KEY (student_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX obligations_by_status ON obligations (district_id, status, due);

CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code  INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

CREATE TABLE plans (
    id             INTEGER PRIMARY KEY,
    district_id    INTEGER NOT NULL REFERENCES districts(id),
    student_id     INTEGER NOT NULL REFERENCES students(id),
    kind           TEXT NOT NULL,
    version        INTEGER NOT NULL,
    status         TEXT NOT NULL,
    content        TEXT NOT NULL,
    change_summary TEXT,
    revision       INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (student_id, kind, version)
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    mfa_ok       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    reauth_at    TEXT
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE login_attempts (
    id    INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX login_attempts_by_scope ON login_attempts (scope, at);

-- The record of access (34 CFR 300.614). Append-only; each entry's hash covers the previous
-- entry's hash, so an edit or a deletion breaks the chain (`iep504 audit verify`).
CREATE TABLE access_log (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL,
    student_id  INTEGER,
    at          TEXT NOT NULL,
    user_id     INTEGER,
    who         TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX access_log_by_student ON access_log (student_id, id);
