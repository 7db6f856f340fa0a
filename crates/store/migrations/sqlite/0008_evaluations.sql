-- Evaluations (SQLite): each step of the evaluation workflow (referral, consent request and
-- answer, plan, report, IDEA and Section 504 decisions) as a typed JSON body, with the case
-- event it recorded; prior written notices drafted from a step and then sent.
-- Keep in step with ../postgres/. `revision` counts edits of a draft notice (compare-and-set).
CREATE TABLE evaluation_steps (
    id          INTEGER PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    step        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    body        TEXT NOT NULL,
    event_id    TEXT,
    created_at  TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id)
);
CREATE INDEX evaluation_steps_by_student ON evaluation_steps (student_id, on_date, id);

CREATE TABLE prior_written_notices (
    id          INTEGER PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    step_id     BIGINT REFERENCES evaluation_steps(id),
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent_on     TEXT,
    event_id    TEXT,
    revision    BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id)
);
CREATE INDEX prior_written_notices_by_student ON prior_written_notices (student_id, id);
