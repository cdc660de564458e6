-- CDP shim releases: one row per version; the bytes live in shim_chunk rows of the
-- upload that produced the release. Chunks are written before the release row, so a
-- release becomes visible only once all its bytes are stored.
CREATE TABLE shim_release (
    version VARCHAR(128) NOT NULL PRIMARY KEY,
    sha256 CHAR(64) NOT NULL,
    size BIGINT NOT NULL,
    chunk_size INT NOT NULL,
    upload_id VARCHAR(36) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE shim_chunk (
    upload_id VARCHAR(36) NOT NULL,
    seq INT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (upload_id, seq)
);
