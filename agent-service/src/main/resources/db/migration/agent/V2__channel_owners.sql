-- Which workspace owns a repository:, conversation: or (AI) agent: channel that is not a
-- sidecar agent's own: claimed once, first come, never moved to another workspace.
CREATE TABLE channel_owner (
    channel       VARCHAR(255) PRIMARY KEY,
    workspace_id  VARCHAR(128) NOT NULL,
    claimed_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
