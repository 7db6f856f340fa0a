-- Ed-Fi program associations as columns (SQLite). Each association used to keep a JSON copy of
-- its whole Ed-Fi record beside the report columns (~700 bytes a row, most of it repeated): the
-- program it belongs to is now a row of edfi_programs and its other Ed-Fi fields are columns, so
-- a district's import writes a fraction of the pages and the fields can be queried. The records
-- already stored are moved into the columns by the migration's backfill (store::edfi_store),
-- and 0015 drops the JSON column. Keep in step with ../postgres/.
CREATE TABLE edfi_programs (
    id                        INTEGER PRIMARY KEY,
    education_organization_id INTEGER NOT NULL,
    program_name              TEXT NOT NULL,
    program_type_descriptor   TEXT NOT NULL,
    UNIQUE (education_organization_id, program_name, program_type_descriptor)
);

-- NULL for associations made in iep504 rather than imported from Ed-Fi.
ALTER TABLE program_associations ADD COLUMN edfi_program_id INTEGER REFERENCES edfi_programs(id);
ALTER TABLE program_associations ADD COLUMN education_organization_id INTEGER;
ALTER TABLE program_associations ADD COLUMN idea_eligibility BOOLEAN;
ALTER TABLE program_associations ADD COLUMN iep_begin_date TEXT;
ALTER TABLE program_associations ADD COLUMN iep_end_date TEXT;
ALTER TABLE program_associations ADD COLUMN iep_review_date TEXT;
ALTER TABLE program_associations ADD COLUMN last_evaluation_date TEXT;
ALTER TABLE program_associations ADD COLUMN section504_eligibility BOOLEAN;
ALTER TABLE program_associations ADD COLUMN accommodation_plan BOOLEAN;
-- The Section 504 disability descriptor URI as given (section504_disability holds its value).
ALTER TABLE program_associations ADD COLUMN section504_disability_descriptor TEXT;
ALTER TABLE program_associations ADD COLUMN section504_meeting_date TEXT;
ALTER TABLE program_associations ADD COLUMN section504_eligibility_decision_date TEXT;

-- No query reads associations by district first (every district filter is "all districts or
-- this one", which an index cannot serve; reports go through program_associations_by_program),
-- so the index only cost every write.
DROP INDEX program_associations_by_district;
