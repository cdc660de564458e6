-- What a client's idempotency key was used for: a SHA-256 (salted with the task id) of the
-- acting user and the whole command, environment values included, so that a repeated key
-- is the same task only for the same request; another request under it is refused.
ALTER TABLE task ADD COLUMN request_fingerprint VARCHAR(64);
