package review

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// Procedure is an entry of the register of 実施手順: a procedure document, the role that owns
// it, the articles it implements, the date by which it is next reviewed, and its file (read on
// its own with ProcedureFile).
//
// 実施手順 are not public (土岐市 10, 上毛町 基本方針 10: 公にすることにより…非公開とする). A
// procedure is read by the holders of its owner role, the holders of an organisation-wide
// security role and the auditors — and by every member of staff when it is marked so (上毛町
// 第2章 5(1)③: 職員等が常に…実施手順を閲覧できるように掲示). To anyone else it is not found.
type Procedure struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	DocVersion  string    `json:"doc_version"`
	OwnerRole   string    `json:"owner_role"`
	Articles    []string  `json:"articles"`
	AllStaff    bool      `json:"all_staff"`
	ReviewOn    string    `json:"review_on"`             // YYYY-MM-DD (JST): the next review is due by then
	ReviewedOn  string    `json:"reviewed_on,omitempty"` // the last review
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`
	// Overdue: its review date has passed.
	Overdue bool `json:"overdue"`
}

// File is a procedure's document as uploaded.
type File struct {
	Name        string
	ContentType string
	Body        []byte
}

// ProcedureInput is a procedure to register.
type ProcedureInput struct {
	Title      string   `json:"title"`
	DocVersion string   `json:"doc_version"`
	OwnerRole  string   `json:"owner_role"`
	Articles   []string `json:"articles"`
	AllStaff   bool     `json:"all_staff"`
	ReviewOn   string   `json:"review_on"`
	File       File     `json:"-"`
}

// mayReadProcedure is the read rule above.
func mayReadProcedure(p *policy.Compiled, who access.Actor, pr Procedure) bool {
	return who.IsSystem() || pr.AllStaff || who.HasRole(pr.OwnerRole) || orgSecurity(p, who) || who.IsAuditor()
}

// mayKeepProcedure: the holders of the owner role and the organisation-wide security roles
// register a procedure and record its reviews and revisions (上毛町 第2章 2: ネットワーク管理者・
// 情報システム管理者 …は実施手順の策定、変更を行う).
func mayKeepProcedure(p *policy.Compiled, who access.Actor, ownerRole string) error {
	if who.ReadOnly {
		return forbidden("error.forbidden")
	}
	if !who.IsSystem() && !who.HasRole(ownerRole) && !orgSecurity(p, who) {
		return forbidden("procedure.error.not_keeper")
	}
	return nil
}

func (s *Service) today() string { return s.now().In(jst).Format(time.DateOnly) }

// checkProcedure refuses, naming the field, a procedure without its title, version, owner
// role, articles, review date or file, with an owner role or an article the pack does not
// know, or a file of a type or size the register does not keep.
func checkProcedure(p *policy.Compiled, in *ProcedureInput) error {
	var v apperr.Validation
	in.Title, in.DocVersion, in.OwnerRole, in.ReviewOn = strings.TrimSpace(in.Title), strings.TrimSpace(in.DocVersion),
		strings.TrimSpace(in.OwnerRole), strings.TrimSpace(in.ReviewOn)
	text := func(field, val string, max int) {
		switch {
		case val == "":
			v.Add(field, "error.required")
		case utf8.RuneCountInString(val) > max:
			v.Add(field, "error.too_long", max)
		}
	}
	text("title", in.Title, 200)
	text("doc_version", in.DocVersion, 50)
	if r, ok := p.Role(in.OwnerRole); in.OwnerRole == "" {
		v.Add("owner_role", "error.required")
	} else if !ok || r.AllStaff {
		v.Add("owner_role", "procedure.error.role", in.OwnerRole)
	}
	var arts []string
	for _, a := range in.Articles {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(arts, a) {
			arts = append(arts, a)
		}
	}
	in.Articles = arts
	if len(arts) == 0 {
		v.Add("articles", "procedure.error.articles")
	}
	for _, a := range arts {
		if !cites(p, a) {
			v.Add("articles", "review.error.article", a)
			break
		}
	}
	checkDate(&v, "review_on", in.ReviewOn)
	if err := checkFile("file", &in.File); err != nil {
		v.Add("file", apperr.As(err).Fields[0].Key, apperr.As(err).Fields[0].Args...)
	}
	return v.Err()
}

func checkDate(v *apperr.Validation, field, val string) {
	if val == "" {
		v.Add(field, "error.required")
	} else if _, err := time.Parse(time.DateOnly, val); err != nil {
		v.Add(field, "error.date")
	}
}

// AddProcedure registers a procedure with its file.
func (s *Service) AddProcedure(ctx context.Context, who access.Actor, in ProcedureInput) (Procedure, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Procedure{}, err
	}
	if err := mayKeepProcedure(p, who, strings.TrimSpace(in.OwnerRole)); err != nil {
		return Procedure{}, err
	}
	if err := checkProcedure(p, &in); err != nil {
		return Procedure{}, err
	}
	now := s.now()
	sum := sha256.Sum256(in.File.Body)
	arts, _ := json.Marshal(in.Articles)
	var id int64
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO procedures (org_id, title, doc_version, owner_role, articles_json, all_staff, review_on,
			file_name, content_type, size, sha256, body, created_at, created_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13) RETURNING id`,
			who.OrgID, in.Title, in.DocVersion, in.OwnerRole, string(arts), in.AllStaff, in.ReviewOn, in.File.Name, in.File.ContentType,
			len(in.File.Body), hex.EncodeToString(sum[:]), in.File.Body, now, actorName(who)).Scan(&id)
		if err != nil {
			return apperr.Wrap(err, "add procedure")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "procedure", EntityID: id, Action: "procedure.add",
			After: map[string]any{"title": in.Title, "doc_version": in.DocVersion, "owner_role": in.OwnerRole, "articles": in.Articles,
				"all_staff": in.AllStaff, "review_on": in.ReviewOn, "file_name": in.File.Name, "size": len(in.File.Body),
				"sha256": hex.EncodeToString(sum[:])}})
		return err
	})
	if err != nil {
		return Procedure{}, err
	}
	return s.Procedure(ctx, who, id)
}

// RevisionInput is a procedure's review: the date of the next one and, for a new version, its
// version and file.
type RevisionInput struct {
	ReviewOn   string `json:"review_on"`
	DocVersion string `json:"doc_version,omitempty"`
	File       *File  `json:"-"`
}

// Revise records that a procedure was reviewed today — with a new version and file, or as it
// stands — and by when it is next reviewed.
func (s *Service) Revise(ctx context.Context, who access.Actor, id int64, in RevisionInput) (Procedure, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Procedure{}, err
	}
	before, err := s.Procedure(ctx, who, id)
	if err != nil {
		return Procedure{}, err
	}
	if err := mayKeepProcedure(p, who, before.OwnerRole); err != nil {
		return Procedure{}, err
	}
	var v apperr.Validation
	in.ReviewOn, in.DocVersion = strings.TrimSpace(in.ReviewOn), strings.TrimSpace(in.DocVersion)
	checkDate(&v, "review_on", in.ReviewOn)
	if in.ReviewOn != "" && in.ReviewOn <= s.today() && !v.Has("review_on") {
		v.Add("review_on", "procedure.error.review_past")
	}
	if in.File != nil {
		if in.DocVersion == "" {
			v.Add("doc_version", "error.required")
		}
		if err := checkFile("file", in.File); err != nil {
			v.Add("file", apperr.As(err).Fields[0].Key, apperr.As(err).Fields[0].Args...)
		}
	}
	if utf8.RuneCountInString(in.DocVersion) > 50 {
		v.Add("doc_version", "error.too_long", 50)
	}
	if err := v.Err(); err != nil {
		return Procedure{}, err
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		after := map[string]any{"review_on": in.ReviewOn, "reviewed_on": s.today()}
		var res sql.Result
		var err error
		if in.File != nil {
			sum := sha256.Sum256(in.File.Body)
			after["doc_version"], after["file_name"], after["size"], after["sha256"] = in.DocVersion, in.File.Name, len(in.File.Body), hex.EncodeToString(sum[:])
			res, err = tx.ExecContext(ctx, `UPDATE procedures SET review_on = $1, reviewed_on = $2, doc_version = $3, file_name = $4,
				content_type = $5, size = $6, sha256 = $7, body = $8, updated_at = $9, version = version + 1
				WHERE id = $10 AND org_id = $11 AND version = $12`, in.ReviewOn, s.today(), in.DocVersion, in.File.Name, in.File.ContentType,
				len(in.File.Body), hex.EncodeToString(sum[:]), in.File.Body, now, id, who.OrgID, before.Version)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE procedures SET review_on = $1, reviewed_on = $2, updated_at = $3, version = version + 1
				WHERE id = $4 AND org_id = $5 AND version = $6`, in.ReviewOn, s.today(), now, id, who.OrgID, before.Version)
		}
		if err != nil {
			return apperr.Wrap(err, "revise procedure")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "error.conflict")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "procedure", EntityID: id, Action: "procedure.revise",
			Before: map[string]any{"review_on": before.ReviewOn, "doc_version": before.DocVersion, "sha256": before.SHA256}, After: after})
		return err
	})
	if err != nil {
		return Procedure{}, err
	}
	return s.Procedure(ctx, who, id)
}

const procedureColumns = `id, title, doc_version, owner_role, articles_json, all_staff, review_on, reviewed_on, file_name, content_type,
	size, sha256, created_at, created_by, updated_at, version`

func (s *Service) scanProcedure(row interface{ Scan(...any) error }, today string) (Procedure, error) {
	var pr Procedure
	var arts string
	err := row.Scan(&pr.ID, &pr.Title, &pr.DocVersion, &pr.OwnerRole, &arts, &pr.AllStaff, &pr.ReviewOn, &pr.ReviewedOn, &pr.FileName,
		&pr.ContentType, &pr.Size, &pr.SHA256, &pr.CreatedAt, &pr.CreatedBy, &pr.UpdatedAt, &pr.Version)
	if err != nil {
		return pr, err
	}
	pr.Articles = []string{}
	_ = json.Unmarshal([]byte(arts), &pr.Articles)
	pr.CreatedAt, pr.UpdatedAt = pr.CreatedAt.UTC(), pr.UpdatedAt.UTC()
	pr.Overdue = pr.ReviewOn < today
	return pr, nil
}

// Procedure returns one procedure the actor may read; NotFound for anyone else.
func (s *Service) Procedure(ctx context.Context, who access.Actor, id int64) (Procedure, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Procedure{}, err
	}
	pr, err := s.scanProcedure(s.DB.SQL.QueryRowContext(ctx, `SELECT `+procedureColumns+` FROM procedures WHERE id = $1 AND org_id = $2`,
		id, who.OrgID), s.today())
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !mayReadProcedure(p, who, pr)) {
		return Procedure{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return Procedure{}, apperr.Wrap(err, "procedure")
	}
	return pr, nil
}

// ProcedureFile returns a procedure the actor may read with its file, whose SHA-256 is checked.
func (s *Service) ProcedureFile(ctx context.Context, who access.Actor, id int64) (Procedure, []byte, error) {
	pr, err := s.Procedure(ctx, who, id)
	if err != nil {
		return pr, nil, err
	}
	var body []byte
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT body FROM procedures WHERE id = $1 AND org_id = $2`, id, who.OrgID).Scan(&body); err != nil {
		return pr, nil, apperr.Wrap(err, "procedure file")
	}
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != pr.SHA256 {
		return pr, nil, apperr.Wrap(errors.New("stored file does not match its hash"), "procedure file")
	}
	return pr, body, nil
}

// ProcedureFilter narrows the register.
type ProcedureFilter struct {
	OwnerRole string
	Overdue   bool
}

// Procedures lists the procedures the actor may read, by review date.
func (s *Service) Procedures(ctx context.Context, who access.Actor, f ProcedureFilter) ([]Procedure, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	out := []Procedure{}
	if p == nil {
		return out, nil
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+procedureColumns+` FROM procedures WHERE org_id = $1 ORDER BY review_on, id`, who.OrgID)
	if err != nil {
		return nil, apperr.Wrap(err, "procedures")
	}
	defer rows.Close()
	today := s.today()
	for rows.Next() {
		pr, err := s.scanProcedure(rows, today)
		if err != nil {
			return nil, apperr.Wrap(err, "procedures")
		}
		if !mayReadProcedure(p, who, pr) || (f.OwnerRole != "" && pr.OwnerRole != f.OwnerRole) || (f.Overdue && !pr.Overdue) {
			continue
		}
		out = append(out, pr)
	}
	return out, rows.Err()
}

// Due returns the procedures past their review date whose owner role the actor holds: what
// their home page shows.
func (s *Service) Due(ctx context.Context, who access.Actor) ([]Procedure, error) {
	all, err := s.Procedures(ctx, who, ProcedureFilter{Overdue: true})
	if err != nil {
		return nil, err
	}
	out := []Procedure{}
	for _, pr := range all {
		if who.HasRole(pr.OwnerRole) {
			out = append(out, pr)
		}
	}
	return out, nil
}

// ProcedureAuditReadable is the audit log's rule for a procedure's entries: those who read it.
func (s *Service) ProcedureAuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	seen := map[string]bool{}
	for i, e := range entries {
		ok, done := seen[e.EntityID]
		if !done {
			id, err := strconv.ParseInt(e.EntityID, 10, 64)
			if err != nil {
				continue
			}
			_, err = s.Procedure(ctx, who, id)
			if err != nil && apperr.CodeOf(err) != apperr.NotFound {
				return nil, err
			}
			ok = err == nil
			seen[e.EntityID] = ok
		}
		out[i] = ok
	}
	return out, nil
}

// ProcedureActions are what the actor may do with a procedure.
type ProcedureActions struct {
	Revise bool `json:"revise"`
}

// ProcedureActionsFor asks the act's permission in advance.
func (s *Service) ProcedureActionsFor(ctx context.Context, who access.Actor, pr Procedure) ProcedureActions {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return ProcedureActions{}
	}
	return ProcedureActions{Revise: mayKeepProcedure(p, who, pr.OwnerRole) == nil}
}

// MayAddProcedure reports whether the actor may register procedures of some role: the
// organisation-wide security roles and the holders of any role.
func (s *Service) MayAddProcedure(ctx context.Context, who access.Actor) bool {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil || who.ReadOnly {
		return false
	}
	if who.IsSystem() || orgSecurity(p, who) {
		return true
	}
	for _, g := range who.Roles {
		if !g.AllStaff {
			if r, ok := p.Role(g.RoleID); ok && !r.AllStaff {
				return true
			}
		}
	}
	return false
}
