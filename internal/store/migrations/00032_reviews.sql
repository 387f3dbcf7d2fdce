-- +goose Up
-- 見直し (policy review): one review per organisation and fiscal year (年度, April to March),
-- made over the pack the organisation ran when it was opened (pack_digest). state: open (the
-- 情報政策課 records proposals), submitted (laid before the deciders the pack names),
-- decided (every proposal has its decision).
CREATE TABLE reviews (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    fiscal_year   INTEGER NOT NULL,
    pack_id       TEXT NOT NULL,
    pack_version  TEXT NOT NULL,
    pack_digest   TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open',
    created_at    {{ts}} NOT NULL,
    created_by    TEXT NOT NULL,
    submitted_at  {{ts}},
    submitted_by  TEXT NOT NULL DEFAULT '',
    decided_at    {{ts}},
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, fiscal_year)
);

-- A proposal for one article (keep / amend / add) and the deciders' decision on it. An approved
-- amendment or addition is linked to the pack version that carries it once that version is
-- active (new_pack_digest).
CREATE TABLE review_proposals (
    id               {{id}},
    org_id           BIGINT NOT NULL REFERENCES organizations(id),
    review_id        BIGINT NOT NULL REFERENCES reviews(id),
    article          TEXT NOT NULL,
    kind             TEXT NOT NULL,
    text             TEXT NOT NULL DEFAULT '',
    proposed_by      TEXT NOT NULL,
    proposed_at      {{ts}} NOT NULL,
    decision         TEXT NOT NULL DEFAULT '',
    decision_note    TEXT NOT NULL DEFAULT '',
    decided_by       TEXT NOT NULL DEFAULT '',
    decided_at       {{ts}},
    new_pack_id      TEXT NOT NULL DEFAULT '',
    new_pack_version TEXT NOT NULL DEFAULT '',
    new_pack_digest  TEXT NOT NULL DEFAULT '',
    linked_at        {{ts}},
    UNIQUE (review_id, article)
);
CREATE INDEX review_proposals_review ON review_proposals (review_id, id);

-- 実施手順 (procedures): the organisation's detailed, non-public procedure documents, each with
-- the role that owns it, the articles it implements and the file itself. all_staff marks one
-- the staff must be able to read (上毛町 第2章 5(1)③: 閲覧できるように掲示); others are read by
-- the owner role's holders, the organisation-wide security roles and the auditors only.
CREATE TABLE procedures (
    id             {{id}},
    org_id         BIGINT NOT NULL REFERENCES organizations(id),
    title          TEXT NOT NULL,
    doc_version    TEXT NOT NULL,
    owner_role     TEXT NOT NULL,
    articles_json  TEXT NOT NULL DEFAULT '[]',
    all_staff      BOOLEAN NOT NULL DEFAULT FALSE,
    review_on      TEXT NOT NULL,
    reviewed_on    TEXT NOT NULL DEFAULT '',
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    body           {{blob}} NOT NULL,
    created_at     {{ts}} NOT NULL,
    created_by     TEXT NOT NULL,
    updated_at     {{ts}} NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX procedures_org ON procedures (org_id, review_on);

-- +goose Down
DROP TABLE procedures;
DROP TABLE review_proposals;
DROP TABLE reviews;
