-- IEPs and 504 plans as versioned documents (SQLite). Keep in step with ../postgres/.
-- A version's content is edited while it is a draft or shared with the family; once finalized
-- it never changes (the triggers refuse it, whatever the caller), except to be superseded by an
-- amendment or ended. Every saved revision is kept, so a stale save can show what changed.
ALTER TABLE plans ADD COLUMN finalized_at TEXT;
ALTER TABLE plans ADD COLUMN finalized_by BIGINT REFERENCES users(id);
CREATE INDEX plans_by_status ON plans (district_id, status);

CREATE TRIGGER plans_finalized_never_change BEFORE UPDATE ON plans
WHEN OLD.status IN ('finalized', 'superseded', 'ended')
 AND (NEW.content IS NOT OLD.content
      OR NEW.change_summary IS NOT OLD.change_summary
      OR NEW.version IS NOT OLD.version
      OR NEW.kind IS NOT OLD.kind
      OR NEW.student_id IS NOT OLD.student_id
      OR NEW.district_id IS NOT OLD.district_id
      OR NEW.finalized_at IS NOT OLD.finalized_at
      OR (NEW.status IS NOT OLD.status
          AND NOT (OLD.status = 'finalized' AND NEW.status IN ('superseded', 'ended'))))
BEGIN
    SELECT RAISE(ABORT, 'a finalized plan version never changes; amend it with a new version');
END;

CREATE TRIGGER plans_finalized_never_deleted BEFORE DELETE ON plans
WHEN OLD.status IN ('finalized', 'superseded', 'ended')
BEGIN
    SELECT RAISE(ABORT, 'a finalized plan version is never deleted');
END;

CREATE TABLE plan_edits (
    id          INTEGER PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    plan_id     BIGINT NOT NULL REFERENCES plans(id),
    revision    BIGINT NOT NULL,
    content     TEXT NOT NULL,
    edited_by   BIGINT REFERENCES users(id),
    edited_at   TEXT NOT NULL,
    UNIQUE (plan_id, revision)
);

CREATE TABLE plan_comments (
    id          INTEGER PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    plan_id     BIGINT NOT NULL REFERENCES plans(id),
    author_id   BIGINT REFERENCES users(id),
    author_name TEXT NOT NULL,
    author_role TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX plan_comments_by_plan ON plan_comments (plan_id, id);

-- Each teacher of the student receives a finalized plan's accommodations and acknowledges them.
CREATE TABLE accommodation_deliveries (
    id              INTEGER PRIMARY KEY,
    district_id     BIGINT NOT NULL REFERENCES districts(id),
    student_id      BIGINT NOT NULL REFERENCES students(id),
    plan_id         BIGINT NOT NULL REFERENCES plans(id),
    teacher_id      BIGINT NOT NULL REFERENCES users(id),
    assigned_at     TEXT NOT NULL,
    acknowledged_at TEXT,
    UNIQUE (plan_id, teacher_id)
);
CREATE INDEX accommodation_deliveries_by_teacher ON accommodation_deliveries (teacher_id, acknowledged_at);

CREATE TABLE accommodation_reminders (
    id          INTEGER PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    delivery_id BIGINT NOT NULL REFERENCES accommodation_deliveries(id),
    reminded_at TEXT NOT NULL,
    reminded_by BIGINT REFERENCES users(id)
);
CREATE INDEX accommodation_reminders_by_delivery ON accommodation_reminders (delivery_id, id);
