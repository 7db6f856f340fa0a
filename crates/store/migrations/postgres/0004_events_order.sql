-- The sweep and the timeline read a student's events in recorded order.
CREATE INDEX events_by_student_seq ON events (student_id, seq);
