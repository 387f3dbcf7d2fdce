package incident

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// ReportInput is a report as a member of staff makes it: the pack's report items, when the
// incident was detected, and for a report from outside (住民等) who made it and how to reach them.
type ReportInput struct {
	Title        string         `json:"title"`
	Items        map[string]any `json:"items"` // by report item id
	DetectedAt   time.Time      `json:"detected_at"`
	DepartmentID int64          `json:"department_id"` // where it happened; the reporter's by default
	Outside      *OutsideReport `json:"outside,omitempty"`
	AssetIDs     []int64        `json:"asset_ids"` // the assets it concerns, as far as the reporter knows; each one the reporter may see
	// Category is the pack's category as the reporter sees it, if they can tell; triage decides.
	Category string        `json:"category,omitempty"`
	Evidence []NewEvidence `json:"-"` // files answering the pack's file items (記録) or given with the report
}

// Report records a report. Any member of staff may report; it goes to the pack's first
// recipients, who are told at once.
func (s *Service) Report(ctx context.Context, who access.Actor, in ReportInput) (Incident, error) {
	if who.StaffID == 0 {
		return Incident{}, apperr.New(apperr.Forbidden, "incident.error.not_staff")
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Incident{}, err
	}
	now := s.now()
	var v apperr.Validation
	checkText(&v, "title", &in.Title, maxTitle, true)
	if in.DetectedAt.IsZero() {
		v.Add("detected_at", "incident.error.required")
	}
	detected := checkAt(&v, "detected_at", in.DetectedAt, time.Time{}, now)
	if in.Outside != nil {
		checkText(&v, "outside.reporter", &in.Outside.Reporter, maxShort, true)
		checkText(&v, "outside.contact", &in.Outside.Contact, maxShort, true)
	}
	for i := range in.Evidence {
		if f := in.Evidence[i].Field; f != "" && !isFileItem(p, f) {
			v.Add("evidence["+strconv.Itoa(i)+"]", "incident.error.unknown_item", f)
		}
	}
	items := checkItems(&v, p, who, in.Items)
	if in.Category != "" && !slices.ContainsFunc(p.Incident.Categories, func(c policy.Category) bool { return c.ID == in.Category }) {
		v.Add("category", "incident.error.category", in.Category)
	}
	dept := in.DepartmentID
	if dept == 0 {
		dept = who.DepartmentID
	}
	if err := v.Err(); err != nil {
		return Incident{}, err
	}
	for i := range in.Evidence {
		if err := checkEvidence("evidence["+strconv.Itoa(i)+"]", &in.Evidence[i]); err != nil {
			return Incident{}, err
		}
		if in.Evidence[i].CollectedAt.IsZero() {
			in.Evidence[i].CollectedAt = now
		}
	}
	inc := Incident{OrgID: who.OrgID, Title: in.Title, State: Reported, DepartmentID: dept, ReporterID: who.StaffID, Outside: in.Outside,
		Report: items, Category: in.Category, DetectedAt: detected, ReportedAt: now, Routes: []string{}, Systems: []string{}, AssetIDs: []int64{},
		Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if dept != 0 && dept != who.DepartmentID {
			if err := checkDepartment(ctx, tx, who.OrgID, dept); err != nil {
				return err
			}
		}
		if err := insert(ctx, tx, &inc); err != nil {
			return err
		}
		if err := reportedAssets(ctx, tx, who, in.AssetIDs); err != nil {
			return err
		}
		if err := s.relateAssets(ctx, tx, inc, in.AssetIDs); err != nil {
			return err
		}
		inc.AssetIDs = slices.Compact(slices.Sorted(slices.Values(in.AssetIDs)))
		if _, err := addEvent(ctx, tx, inc, who.OrgID, who.StaffID, actorName(who), Event{Kind: "detected", At: detected, RecordedAt: now}); err != nil {
			return err
		}
		kind := "reported"
		if in.Outside != nil {
			kind = "reported_outside"
		}
		if _, err := addEvent(ctx, tx, inc, who.OrgID, who.StaffID, actorName(who), Event{Kind: kind, At: now, RecordedAt: now, Text: inc.Title}); err != nil {
			return err
		}
		for _, e := range in.Evidence {
			e.CollectedByID = who.StaffID
			if _, err := s.storeEvidence(ctx, tx, who, inc, e, now); err != nil {
				return err
			}
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: inc.ID, Action: "incident.report", After: inc}); err != nil {
			return err
		}
		staff, err := recipientHolders(ctx, tx, p, inc, day(now))
		if err != nil {
			return err
		}
		return tell(ctx, tx, who.OrgID, staff, NoticeReported, "report", inc, now, text("notice.incident.reported", inc.Title),
			text("notice.incident.reported_body", actorName(who), inc.Title, detected))
	})
	if err != nil {
		return Incident{}, err
	}
	return s.Get(ctx, who, inc.ID)
}

// reportedAssets checks that the reporter may see each asset a report names: an asset beyond
// the reporter's reach is not found, as on its own page.
func reportedAssets(ctx context.Context, tx *sql.Tx, who access.Actor, ids []int64) error {
	for _, id := range ids {
		a, err := asset.Read(ctx, tx, who.OrgID, id)
		if apperr.CodeOf(err) == apperr.NotFound || (err == nil && !asset.CanReadAsset(who, a)) {
			return apperr.InvalidField("asset_ids", "incident.error.asset", id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func isFileItem(p *policy.Compiled, id string) bool {
	for _, f := range p.Incident.ReportItems {
		if f.ID == id {
			return f.Type == "file"
		}
	}
	return false
}

// checkItems checks the report items against the pack's and returns them as recorded. A file
// item is answered by evidence, never required of the report itself: 分かっていることだけで構いません.
func checkItems(v *apperr.Validation, p *policy.Compiled, who access.Actor, given map[string]any) map[string]any {
	out := map[string]any{}
	known := map[string]bool{}
	for _, f := range p.Incident.ReportItems {
		known[f.ID] = true
		field := "items." + f.ID
		raw, ok := given[f.ID]
		if f.Type == "file" {
			continue // a report is made with what is known: its records may follow as evidence
		}
		if f.Type == "staff" && (!ok || raw == nil || raw == "") {
			raw, ok = who.StaffID, true // 報告者: the one reporting, unless named
		}
		str := strings.TrimSpace(fmt.Sprint(raw))
		if !ok || raw == nil || str == "" {
			if f.Required {
				v.Add(field, "incident.error.required")
			}
			continue
		}
		switch f.Type {
		case "datetime", "date":
			layout := time.RFC3339
			if f.Type == "date" {
				layout = time.DateOnly
			}
			if _, err := time.Parse(layout, str); err != nil {
				v.Add(field, "incident.error.time_format")
				continue
			}
		case "number", "staff", "asset", "department":
			n, err := strconv.ParseFloat(str, 64)
			if err != nil || (f.Type != "number" && (n <= 0 || n != float64(int64(n)))) {
				v.Add(field, "incident.error.number")
				continue
			}
			if f.Type != "number" {
				out[f.ID] = int64(n)
				continue
			}
			out[f.ID] = n
			continue
		case "bool":
			out[f.ID] = str == "true" || str == "1" || str == "on"
			continue
		case "enum":
			if !contains(f.Values, str) {
				v.Add(field, "incident.error.enum")
				continue
			}
		}
		checkText(v, field, &str, maxText, f.Required)
		out[f.ID] = str
	}
	for k := range given {
		if !known[k] {
			v.Add("items."+k, "incident.error.unknown_item", k)
		}
	}
	return out
}

func checkDepartment(ctx context.Context, q store.Querier, orgID, id int64) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE id = $1 AND org_id = $2`, id, orgID).Scan(&n); err != nil {
		return apperr.Wrap(err, "department")
	}
	if n == 0 {
		return apperr.InvalidField("department_id", "incident.error.department")
	}
	return nil
}

func actorName(who access.Actor) string {
	if who.Name != "" {
		return who.Name
	}
	if who.Login != "" {
		return who.Login
	}
	return "system"
}
