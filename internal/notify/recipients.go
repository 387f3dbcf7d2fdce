package notify

import (
	"context"
	"database/sql"
	"net/mail"
	"slices"
	"strconv"
	"strings"
)

// recipients are the people a notice reaches: the accounts that see it in the app and the
// addresses it is mailed to, each once.
type recipients struct {
	users []int64
	mail  []mailTo
}

type mailTo struct {
	address string
	lang    string
}

// recipientsOf resolves a notice's staff and users inside the organisation. A staff member's
// mail is in the language of their (first) account, Japanese when they have none.
func recipientsOf(ctx context.Context, tx *sql.Tx, n Notice) (recipients, error) {
	var rs recipients
	seenUser := map[int64]bool{}
	seenMail := map[string]bool{}
	addUser := func(id int64) {
		if id != 0 && !seenUser[id] {
			seenUser[id] = true
			rs.users = append(rs.users, id)
		}
	}
	addMail := func(address, lang string) {
		a, err := mail.ParseAddress(strings.TrimSpace(address))
		if err != nil {
			return // an address mail cannot be sent to; the notice in the app still reaches them
		}
		key := strings.ToLower(a.Address)
		if !seenMail[key] {
			seenMail[key] = true
			rs.mail = append(rs.mail, mailTo{address: a.Address, lang: mailLang(lang)})
		}
	}

	if staff := unique(n.Staff); len(staff) > 0 {
		in, args := inList(2, staff)
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.email, u.id, u.lang FROM staff s
			LEFT JOIN users u ON u.staff_id = s.id AND u.org_id = s.org_id AND NOT u.disabled
			WHERE s.org_id = $1 AND s.active AND s.id IN (`+in+`) ORDER BY s.id, u.id`, append([]any{n.OrgID}, args...)...)
		if err != nil {
			return rs, err
		}
		defer rows.Close()
		firstOf := map[int64]bool{}
		for rows.Next() {
			var staffID int64
			var email string
			var userID sql.NullInt64
			var lang sql.NullString
			if err := rows.Scan(&staffID, &email, &userID, &lang); err != nil {
				return rs, err
			}
			addUser(userID.Int64)
			if !firstOf[staffID] {
				firstOf[staffID] = true
				addMail(email, lang.String)
			}
		}
		if err := rows.Err(); err != nil {
			return rs, err
		}
		rows.Close()
	}

	if users := unique(n.Users); len(users) > 0 {
		in, args := inList(2, users)
		rows, err := tx.QueryContext(ctx, `SELECT u.id, u.lang, COALESCE(s.email, '') FROM users u
			LEFT JOIN staff s ON s.id = u.staff_id AND s.org_id = u.org_id AND s.active
			WHERE u.org_id = $1 AND NOT u.disabled AND u.id IN (`+in+`) ORDER BY u.id`, append([]any{n.OrgID}, args...)...)
		if err != nil {
			return rs, err
		}
		defer rows.Close()
		for rows.Next() {
			var userID int64
			var lang, email string
			if err := rows.Scan(&userID, &lang, &email); err != nil {
				return rs, err
			}
			addUser(userID)
			addMail(email, lang)
		}
		if err := rows.Err(); err != nil {
			return rs, err
		}
	}
	return rs, nil
}

func mailLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "ja"
}

// unique returns the positive ids of ids, sorted, each once.
func unique(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id > 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// inList is "$from, $from+1, …" for ids, and ids as arguments.
func inList(from int, ids []int64) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i] = "$" + strconv.Itoa(from+i)
		args[i] = id
	}
	return strings.Join(marks, ", "), args
}

// Administrators lists the organisation's enabled platform administrators, but except (0 for
// none): those told when an account locks or a rule of the pack cannot be evaluated.
func Administrators(ctx context.Context, tx *sql.Tx, orgID, except int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE org_id = $1 AND platform_admin AND NOT disabled AND id <> $2 ORDER BY id`,
		orgID, except)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
