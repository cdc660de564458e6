-- A workspace's claims are counted (each workspace may hold a bounded number) and listed
-- oldest first: both read by workspace.
CREATE INDEX channel_owner_workspace ON channel_owner (workspace_id, claimed_at);
