-- Attachments of appointments (issue 9, point 1): a document may belong to an appointment,
-- read by its coach and the people met.

alter table document add column appointment_id bigint references appointment (appointment_id);
create index document_appointment on document (appointment_id);
