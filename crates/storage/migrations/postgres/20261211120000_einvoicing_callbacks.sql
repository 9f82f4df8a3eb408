-- The platform's callbacks (issue 20, EIN-20; postgres): the SHA-256 of the token the platform
-- presents when it tells Essaim that something changed (the token itself is shown once).
alter table pa_connection add column callback_token_hash text;
