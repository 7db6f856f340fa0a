-- The JSON copy of each imported program association, emptied into columns by 0014's backfill.
ALTER TABLE program_associations DROP COLUMN edfi_record;
