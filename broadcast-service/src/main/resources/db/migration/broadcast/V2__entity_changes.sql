-- Entity changes (seed 003's sync protocol): one row per POST /api/changes, in log order.
-- ts is assigned under the row lock of hub_change_clock, strictly increasing in commit
-- order, so a reader that has seen every change up to ts T can never later find one at
-- or before T: "since T" follows the log, not the writers' clocks.
CREATE TABLE hub_change (
    seq          BIGINT        PRIMARY KEY,
    ts           TIMESTAMP WITH TIME ZONE NOT NULL,
    channel      VARCHAR(255)  NOT NULL,
    event        VARCHAR(64)   NOT NULL,
    tbl          VARCHAR(128)  NOT NULL,
    record_id    VARCHAR(255)  NOT NULL,
    action       VARCHAR(8)    NOT NULL,
    data         ${json_type},
    CONSTRAINT hub_change_ts UNIQUE (ts)
);

-- The log's clock: one row, locked by each writer for the length of its transaction.
CREATE TABLE hub_change_clock (
    id           INT           PRIMARY KEY,
    last_seq     BIGINT        NOT NULL,
    last_ts      TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO hub_change_clock (id, last_seq, last_ts) VALUES (1, 0, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
