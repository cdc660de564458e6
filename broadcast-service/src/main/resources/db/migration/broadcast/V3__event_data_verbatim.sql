-- Event data as published: jsonb cannot hold a NUL character (\u0000), which terminal
-- output carries, and the log writer retries a batch it cannot write until it can: one
-- such event stopped the durable log. json keeps the text verbatim (and still checks it).
ALTER TABLE hub_event ALTER COLUMN data SET DATA TYPE ${json_text_type};
