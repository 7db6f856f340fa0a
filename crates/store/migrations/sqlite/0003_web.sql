-- Web sign-in state (SQLite). Keep in step with ../postgres/0003_web.sql.
-- Single-use second-factor recovery codes, stored as SHA-256 hashes.
CREATE TABLE recovery_codes (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- One secret calendar-feed URL per user; only its hash is kept, so the URL cannot be read back.
CREATE TABLE calendar_feeds (
    secret_hash TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL UNIQUE REFERENCES users(id),
    created_at  TEXT NOT NULL
);

-- The last TOTP time step accepted per user: a code is accepted once (RFC 6238 §5.2).
CREATE TABLE totp_steps (
    user_id   INTEGER PRIMARY KEY REFERENCES users(id),
    last_step INTEGER NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);
