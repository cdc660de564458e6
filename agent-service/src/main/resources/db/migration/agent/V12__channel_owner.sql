-- Owners of repository: and conversation: channels (issue 11 item 12): recorded by the
-- first backend that publishes on one with a workspace; never moved afterwards.
CREATE TABLE channel_owner (
    channel         VARCHAR(300) PRIMARY KEY,
    workspace_id    VARCHAR(128) NOT NULL,
    recorded_by     VARCHAR(200),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
