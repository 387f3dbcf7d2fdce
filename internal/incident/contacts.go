package incident

import (
	"context"
	"database/sql"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// The 緊急連絡網 (emergency contact list) is drawn from the pack's contacts, in the pack's order,
// and the role assignments of today: each contact with its holders (and acting holders), their
// department, phone and mail; an outside body with the number the organisation recorded for it.
// It warns when a contact's role has no holder, when a holder has no phone number, and when an
// outside body has no number. It holds private numbers, so it is shown to the holders of the
// pack's roles (other than the one every member of staff holds) and to platform administrators.

// ContactList is the 緊急連絡網.
type ContactList struct {
	Contacts []ContactLine `json:"contacts"`
	Warnings int           `json:"warnings"`
}

// ContactLine is one contact of the list.
type ContactLine struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Role         string       `json:"role,omitempty"`
	External     bool         `json:"external"`
	Organization string       `json:"organization,omitempty"`
	Phone        string       `json:"phone,omitempty"` // an outside body's number
	Note         string       `json:"note,omitempty"`
	Cite         string       `json:"cite"`
	Holders      []HolderLine `json:"holders"`
	Warnings     []string     `json:"warnings"` // no_holder, no_number
}

// HolderLine is a member of staff who holds a contact's role.
type HolderLine struct {
	StaffID    int64  `json:"staff_id"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Email      string `json:"email,omitempty"`
	Acting     bool   `json:"acting"`
	Warning    string `json:"warning,omitempty"` // no_number
}

// MaySeeContacts reports whether the actor may read the 緊急連絡網 (contacts.go).
func MaySeeContacts(who access.Actor) bool {
	return who.IsSystem() || who.PlatformAdmin || holdsAnyRole(who)
}

// Contacts returns the 緊急連絡網.
func (s *Service) Contacts(ctx context.Context, who access.Actor) (ContactList, error) {
	var out ContactList
	if !who.IsSystem() && !who.PlatformAdmin && !holdsAnyRole(who) {
		return out, apperr.New(apperr.Forbidden, "incident.error.contacts")
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return out, err
	}
	numbers := map[string][2]string{}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT contact_id, phone, note FROM incident_contact_numbers WHERE org_id = $1`, who.OrgID)
	if err != nil {
		return out, apperr.Wrap(err, "contact numbers")
	}
	for rows.Next() {
		var id, phone, note string
		if err := rows.Scan(&id, &phone, &note); err != nil {
			rows.Close()
			return out, apperr.Wrap(err, "contact numbers")
		}
		numbers[id] = [2]string{phone, note}
	}
	rows.Close()
	today := day(s.now())
	for _, c := range p.Incident.Contacts {
		l := ContactLine{ID: c.ID, Name: c.Name, Role: c.Role, External: c.External, Organization: c.Organization, Cite: c.Cite.Article,
			Holders: []HolderLine{}, Warnings: []string{}}
		l.Phone, l.Note = numbers[c.ID][0], numbers[c.ID][1]
		r, hasRole := p.Role(c.Role)
		switch {
		case hasRole && !r.AllStaff:
			if l.Holders, err = holderLines(ctx, s.DB.SQL, who.OrgID, c.Role, today); err != nil {
				return out, err
			}
			if len(l.Holders) == 0 {
				l.Warnings = append(l.Warnings, "no_holder")
			}
			for _, h := range l.Holders {
				if h.Warning != "" && !contains(l.Warnings, h.Warning) {
					l.Warnings = append(l.Warnings, h.Warning)
				}
			}
		case c.External && l.Phone == "":
			l.Warnings = append(l.Warnings, "no_number")
		}
		out.Warnings += len(l.Warnings)
		out.Contacts = append(out.Contacts, l)
	}
	return out, nil
}

func holdsAnyRole(who access.Actor) bool {
	for _, g := range who.Roles {
		if !g.AllStaff {
			return true
		}
	}
	return false
}

func holderLines(ctx context.Context, q store.Querier, orgID int64, role, today string) ([]HolderLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.name, COALESCE(d.name, ''), s.phone, s.email, CASE WHEN s.id = ra.acting_staff_id THEN 1 ELSE 0 END
		FROM role_assignments ra JOIN staff s ON s.id = ra.holder_staff_id OR s.id = ra.acting_staff_id
		LEFT JOIN departments d ON d.id = s.department_id
		WHERE ra.org_id = $1 AND ra.role_id = $2 AND s.active AND (ra.valid_from = '' OR ra.valid_from <= $3) AND (ra.valid_to = '' OR ra.valid_to >= $3)
		ORDER BY ra.id, s.id`, orgID, role, today)
	if err != nil {
		return nil, apperr.Wrap(err, "contact holders")
	}
	defer rows.Close()
	out := []HolderLine{}
	seen := map[int64]bool{} // a holder for several systems is named once
	for rows.Next() {
		var h HolderLine
		var acting int
		if err := rows.Scan(&h.StaffID, &h.Name, &h.Department, &h.Phone, &h.Email, &acting); err != nil {
			return nil, apperr.Wrap(err, "contact holders")
		}
		h.Acting = acting == 1
		if h.Phone == "" {
			h.Warning = "no_number"
		}
		if seen[h.StaffID] {
			continue
		}
		seen[h.StaffID] = true
		out = append(out, h)
	}
	return out, rows.Err()
}

// dashes are the hyphens Japanese text writes numbers with (－ ‐ − ー …).
var dashes = strings.NewReplacer("\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-", "\u30fc", "-", "\uff70", "-")

// normalizePhone turns full-width digits into half-width and checks that a number has between 6
// and 20 digits and nothing but digits, +, -, spaces and brackets.
func normalizePhone(v *apperr.Validation, field, phone string) string {
	phone = strings.TrimSpace(dashes.Replace(width.Narrow.String(phone)))
	if phone == "" {
		return ""
	}
	digits := 0
	for _, r := range phone {
		switch {
		case unicode.IsDigit(r):
			digits++
		case strings.ContainsRune("+-() ", r):
		default:
			v.Add(field, "incident.error.phone")
			return phone
		}
	}
	if digits < 6 || digits > 20 {
		v.Add(field, "incident.error.phone")
	}
	return phone
}

// SetStaffPhone records the number a member of staff is reached on in an emergency: by the
// person themself, a platform administrator or a holder of an organisation-wide security role.
func (s *Service) SetStaffPhone(ctx context.Context, who access.Actor, staffID int64, phone string) error {
	var v apperr.Validation
	phone = normalizePhone(&v, "phone", phone)
	if err := v.Err(); err != nil {
		return err
	}
	now := s.now()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if !who.IsSystem() && !who.PlatformAdmin && who.StaffID != staffID {
			p, err := s.Policy.Required(ctx, who.OrgID)
			if err != nil {
				return err
			}
			if !orgSecurity(p, who) {
				return forbidden("phone", "incident.error.contacts")
			}
		}
		var before string
		err := tx.QueryRowContext(ctx, `SELECT phone FROM staff WHERE id = $1 AND org_id = $2`, staffID, who.OrgID).Scan(&before)
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err != nil {
			return apperr.Wrap(err, "staff phone")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET phone = $1 WHERE id = $2 AND org_id = $3`, phone, staffID, who.OrgID); err != nil {
			return apperr.Wrap(err, "staff phone")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "staff", EntityID: staffID, Action: "staff.phone",
			Before: map[string]string{"phone": before}, After: map[string]string{"phone": phone}})
		return err
	})
}

// SetContactNumber records the number of one of the pack's contacts (an outside body such as
// 福岡県の関係部局 or 警察): by a platform administrator or a holder of an organisation-wide
// security role.
func (s *Service) SetContactNumber(ctx context.Context, who access.Actor, contactID, phone, note string) error {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return err
	}
	if !who.IsSystem() && !who.PlatformAdmin && !orgSecurity(p, who) {
		return forbidden("phone", "incident.error.contacts")
	}
	var v apperr.Validation
	if _, ok := p.Contact(contactID); !ok {
		v.Add("contact", "incident.error.contact", contactID)
	}
	phone = normalizePhone(&v, "phone", phone)
	checkText(&v, "note", &note, maxShort, false)
	if err := v.Err(); err != nil {
		return err
	}
	now := s.now()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM incident_contact_numbers WHERE org_id = $1 AND contact_id = $2`, who.OrgID, contactID); err != nil {
			return apperr.Wrap(err, "contact number")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_contact_numbers (org_id, contact_id, phone, note, updated_at) VALUES ($1, $2, $3, $4, $5)`,
			who.OrgID, contactID, phone, note, now); err != nil {
			return apperr.Wrap(err, "contact number")
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident_contact", EntityID: contactID, Action: "incident.contact_number",
			After: map[string]string{"phone": phone, "note": note}})
		return err
	})
}
