-- One row per workspace: the state of its (latest) agent.
CREATE TABLE agent (
    workspace_id        VARCHAR(128) PRIMARY KEY,
    agent_id            VARCHAR(128) NOT NULL,
    session_id          VARCHAR(64)  NOT NULL,
    node_id             VARCHAR(128) NOT NULL,
    fence               BIGINT       NOT NULL,
    version             VARCHAR(64)  NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    lifecycle           VARCHAR(16),
    capabilities        VARCHAR(1024),
    first_connected_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_connected_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    disconnected_at     TIMESTAMP WITH TIME ZONE,
    last_heartbeat_at   TIMESTAMP WITH TIME ZONE
);

CREATE INDEX agent_agent_id ON agent (agent_id);

-- Commands sent to agents. env_keys holds the names of the environment variables only:
-- their values may be secrets and are never stored.
CREATE TABLE task (
    task_id         VARCHAR(128) PRIMARY KEY,
    workspace_id    VARCHAR(128) NOT NULL,
    command         VARCHAR(4096) NOT NULL,
    args            ${json_type} NOT NULL,
    cwd             VARCHAR(4096),
    env_keys        ${json_type} NOT NULL,
    timeout_seconds INTEGER,
    requested_by    VARCHAR(128),
    status          VARCHAR(16)  NOT NULL,
    exit_code       INTEGER,
    error           VARCHAR(1024),
    output          VARCHAR(65536),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX task_workspace ON task (workspace_id, created_at);
