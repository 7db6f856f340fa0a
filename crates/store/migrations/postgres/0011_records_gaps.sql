-- Case-records gaps (PostgreSQL). Keep in step with ../sqlite/.
-- A finalized IEP version keeps the federal environment code its LRE section yields and the
-- day it takes effect, so the child count reads the environment of the IEP in effect on the
-- count date (early-childhood codes for ages 3-5) with an indexed lookup. Filled when a
-- version is finalized; versions finalized before this migration are filled by `migrate`.
ALTER TABLE plans ADD COLUMN environment TEXT;
ALTER TABLE plans ADD COLUMN starts_on TEXT;
CREATE INDEX plans_in_effect ON plans (student_id, kind, starts_on);

-- A correction of an evaluation step is a new step that names the one it corrects, with the
-- reason; the original row never changes and stays visible as superseded. A step is corrected
-- at most once (a later correction corrects the correction).
ALTER TABLE evaluation_steps ADD COLUMN supersedes BIGINT REFERENCES evaluation_steps(id);
ALTER TABLE evaluation_steps ADD COLUMN correction_reason TEXT;
CREATE UNIQUE INDEX evaluation_steps_corrected_once ON evaluation_steps (supersedes);
