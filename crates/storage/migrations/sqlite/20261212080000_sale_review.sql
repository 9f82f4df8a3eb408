-- Asking the validation team to validate a draft, and its answer (issue 19; sqlite):
-- review is '' (being written), 'asked' or 'returned'; review_at is when it was asked or
-- returned; review_comment is what the validator wrote when returning it.
alter table sale_doc add column review text not null default '';
alter table sale_doc add column review_at timestamp;
alter table sale_doc add column review_comment text;
-- The validation queue: the drafts asked for, oldest first.
create index sale_doc_review on sale_doc (cooperative_id, review, review_at);
