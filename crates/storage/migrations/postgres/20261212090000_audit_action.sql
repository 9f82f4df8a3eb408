-- The latest line of one action (issue 19: the accountant's home shows the last FEC produced)
-- reads this index instead of walking the cooperative's whole log (postgres).
create index audit_event_action on audit_event (cooperative_id, action, audit_event_id);
