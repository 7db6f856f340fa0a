-- Interop (SQLite): what OneRoster and Ed-Fi imports need beyond the core schema, the federal
-- reports' demographics, and the Ed-Fi-compatible API's clients. Keep in step with ../postgres/.

-- Report demographics (EDFacts codes; NULL = unknown) and the Ed-Fi middle name.
ALTER TABLE students ADD COLUMN middle_name TEXT;
ALTER TABLE students ADD COLUMN sex TEXT;
ALTER TABLE students ADD COLUMN race_ethnicity TEXT;
ALTER TABLE students ADD COLUMN english_learner BOOLEAN;
-- The OneRoster import run that last saw the row: a roster-sourced row another run did not see
-- has disappeared from the roster and is marked inactive (history is never deleted).
ALTER TABLE students ADD COLUMN roster_run TEXT;
ALTER TABLE users ADD COLUMN roster_run TEXT;
ALTER TABLE schools ADD COLUMN roster_run TEXT;
ALTER TABLE links ADD COLUMN roster_run TEXT;
-- The Ed-Fi school record (JSON) when the school came from Ed-Fi; its source_id is the schoolId.
ALTER TABLE schools ADD COLUMN edfi_record TEXT;
-- The full normalized Ed-Fi association (JSON) beside the columns reports read, so an export
-- gives back every field an import took.
ALTER TABLE program_associations ADD COLUMN edfi_record TEXT;
-- Ed-Fi's specialEducationExitDate (the exiting report's date); NULL = the end date.
ALTER TABLE program_associations ADD COLUMN exit_date TEXT;

CREATE UNIQUE INDEX users_by_source ON users (district_id, source_id);
CREATE INDEX program_associations_by_program ON program_associations (program, begin_date);

-- Evaluation eligibility records (studentSpecialEducationProgramEligibilityAssociations).
CREATE TABLE eligibility_associations (
    id           INTEGER PRIMARY KEY,
    district_id  INTEGER NOT NULL REFERENCES districts(id),
    student_id   INTEGER NOT NULL REFERENCES students(id),
    natural_key  TEXT NOT NULL,
    consent_date TEXT NOT NULL,
    edfi_record  TEXT NOT NULL,
    UNIQUE (student_id, natural_key)
);

-- Ed-Fi API clients: a key and the hash of its secret; tokens by hash with their expiry.
CREATE TABLE edfi_clients (
    client_key  TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    name        TEXT NOT NULL,
    district_id INTEGER NOT NULL REFERENCES districts(id),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE edfi_tokens (
    token_hash TEXT PRIMARY KEY,
    client_key TEXT NOT NULL REFERENCES edfi_clients(client_key),
    expires_at TEXT NOT NULL
);
