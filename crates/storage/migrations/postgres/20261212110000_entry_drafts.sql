-- The drafts that keep a month from closing (issue 19: the accountant's home, and close_month)
-- read this index instead of every entry up to the month's end (postgres).
create index entry_drafts on entry (cooperative_id, state, entry_date);
