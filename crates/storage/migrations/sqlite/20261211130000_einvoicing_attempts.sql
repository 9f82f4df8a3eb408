-- When a deposit was first tried (issue 20; sqlite): a deposit never tried before cannot be on the
-- platform yet, so its first attempt needs no search by tracking id (one call less per invoice,
-- and less load on the platform's search); any later attempt searches first.
alter table pa_flow add column attempted_at timestamp;
