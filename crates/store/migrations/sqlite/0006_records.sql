-- Case records (SQLite): the service grid and session logs behind the compensatory ledger,
-- goals with progress data, RTI interventions with probes. Keep in step with ../postgres/.
-- `revision` counts edits, so a stale concurrent edit is refused (compare-and-set).
CREATE TABLE services (
    id            INTEGER PRIMARY KEY,
    district_id   BIGINT NOT NULL REFERENCES districts(id),
    student_id    BIGINT NOT NULL REFERENCES students(id),
    name          TEXT NOT NULL,
    provider_role TEXT NOT NULL,
    minutes       BIGINT NOT NULL,
    per           TEXT NOT NULL,
    setting       TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    revision      BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    BIGINT REFERENCES users(id)
);
CREATE INDEX services_by_student ON services (student_id, id);

CREATE TABLE service_sessions (
    id          INTEGER PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    service_id  BIGINT NOT NULL REFERENCES services(id),
    on_date     TEXT NOT NULL,
    minutes     BIGINT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    logged_by   BIGINT REFERENCES users(id),
    logged_at   TEXT NOT NULL
);
CREATE INDEX service_sessions_by_student ON service_sessions (student_id, on_date);
CREATE INDEX service_sessions_by_logger ON service_sessions (logged_by, on_date);

CREATE TABLE goals (
    id             INTEGER PRIMARY KEY,
    district_id    BIGINT NOT NULL REFERENCES districts(id),
    student_id     BIGINT NOT NULL REFERENCES students(id),
    description    TEXT NOT NULL,
    measure        TEXT NOT NULL DEFAULT '',
    baseline_on    TEXT,
    baseline_value REAL,
    target_on      TEXT,
    target_value   REAL,
    direction      TEXT NOT NULL,
    criterion      TEXT NOT NULL DEFAULT '',
    revision       BIGINT NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     BIGINT REFERENCES users(id)
);
CREATE INDEX goals_by_student ON goals (student_id, id);

CREATE TABLE goal_points (
    id          INTEGER PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    goal_id     BIGINT NOT NULL REFERENCES goals(id),
    on_date     TEXT NOT NULL,
    value       REAL NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX goal_points_by_goal ON goal_points (goal_id, on_date);

CREATE TABLE interventions (
    id          INTEGER PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    tier        BIGINT NOT NULL,
    program     TEXT NOT NULL,
    frequency   TEXT NOT NULL,
    minutes     BIGINT NOT NULL,
    group_size  BIGINT NOT NULL,
    owner       TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    revision    BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id)
);
CREATE INDEX interventions_by_student ON interventions (student_id, id);

CREATE TABLE probes (
    id              INTEGER PRIMARY KEY,
    district_id     BIGINT NOT NULL REFERENCES districts(id),
    student_id      BIGINT NOT NULL REFERENCES students(id),
    intervention_id BIGINT NOT NULL REFERENCES interventions(id),
    on_date         TEXT NOT NULL,
    score           REAL NOT NULL,
    recorded_by     BIGINT REFERENCES users(id),
    recorded_at     TEXT NOT NULL
);
CREATE INDEX probes_by_intervention ON probes (intervention_id, on_date);
