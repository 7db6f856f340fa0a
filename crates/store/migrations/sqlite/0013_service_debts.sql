-- The compensatory-debt summary (SQLite): one row per service, the ledger's totals as of the
-- day they were computed (`as_of`) and the days between which they hold unchanged
-- (`valid_from` inclusive, `valid_until` exclusive; NULL: unbounded). Rewritten in the same
-- transaction as every session log and every change to the service grid or the calendar, and
-- by `iep504 sweep` when time moves past `valid_until`. Keep in step with ../postgres/.
CREATE TABLE service_debts (
    service_id  INTEGER PRIMARY KEY REFERENCES services(id),
    district_id BIGINT NOT NULL REFERENCES districts(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    as_of       TEXT NOT NULL,
    valid_from  TEXT,
    valid_until TEXT,
    mandated    BIGINT NOT NULL,
    delivered   BIGINT NOT NULL,
    owed        BIGINT NOT NULL,
    made_up     BIGINT NOT NULL,
    balance     BIGINT NOT NULL,
    oldest_debt TEXT
);
-- The district view reads the services still owed minutes.
CREATE INDEX service_debts_owing ON service_debts (district_id, oldest_debt) WHERE balance > 0;
-- The sweep finds the summaries time has overtaken.
CREATE INDEX service_debts_until ON service_debts (valid_until);
