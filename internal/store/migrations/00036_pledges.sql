-- +goose Up
-- 同意書・誓約書: the signatures of the pack's pledges. A person signs in Mamori (typed full name
-- and confirmation, with the time and address) or the 情報政策課 records a paper pledge with its
-- scan and the day it was signed. Every signature keeps the SHA-256 and the text of the pledge
-- exactly as it was signed, so that a pack version that changes the text asks everyone to sign
-- again, and what was signed can always be shown. A signature is never changed or deleted; one
-- person signs one text of a pledge once.
CREATE TABLE pledge_signatures (
    id                  {{id}},
    org_id              BIGINT NOT NULL REFERENCES organizations(id),
    pledge_id           TEXT NOT NULL,
    staff_id            BIGINT NOT NULL REFERENCES staff(id),
    department_id       BIGINT REFERENCES departments(id),
    method              TEXT NOT NULL,
    title               TEXT NOT NULL,
    text                TEXT NOT NULL,
    text_sha256         TEXT NOT NULL,
    pack_id             TEXT NOT NULL,
    pack_version        TEXT NOT NULL,
    typed_name          TEXT NOT NULL DEFAULT '',
    signed_on           TEXT NOT NULL,
    signed_at           {{ts}} NOT NULL,
    remote_addr         TEXT NOT NULL DEFAULT '',
    user_agent          TEXT NOT NULL DEFAULT '',
    recorded_by_user_id BIGINT,
    recorded_by         TEXT NOT NULL,
    UNIQUE (org_id, pledge_id, staff_id, text_sha256)
);
CREATE INDEX pledge_signatures_staff ON pledge_signatures (org_id, staff_id, pledge_id);

-- The scan of a paper pledge, content-addressed like every other attachment.
CREATE TABLE pledge_scans (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    signature_id BIGINT NOT NULL REFERENCES pledge_signatures(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    body         {{blob}} NOT NULL,
    created_at   {{ts}} NOT NULL
);
CREATE INDEX pledge_scans_signature ON pledge_scans (org_id, signature_id);

-- +goose Down
DROP TABLE pledge_scans;
DROP TABLE pledge_signatures;
