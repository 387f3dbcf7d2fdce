package auth

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/notify"
)

// NoticeLocked tells an account holder, and the organisation's administrators, that the account
// was locked after repeated failures.
const NoticeLocked = "auth.locked"

// tellLocked writes the notices of a lock, in the transaction that locks: one to the account
// holder (who reads it by mail until the account is unlocked) and one to the organisation's
// platform administrators, who can unlock it.
func (s *Service) tellLocked(ctx context.Context, tx *sql.Tx, u User, c Client, failures, unlockAfter int, at time.Time) error {
	when := at // shown in each language's form by i18n.T
	how := text("notice.auth.locked_by_admin")
	if unlockAfter > 0 {
		how = text("notice.auth.locked_for", unlockAfter)
	}
	ref := notify.Ref{Type: "user", ID: u.ID}
	once := strconv.FormatInt(at.UnixMicro(), 10)
	body := text("notice.auth.locked_body", u.Login, when, failures, c.RemoteAddr)
	err := notify.Notify(ctx, tx, notify.Notice{OrgID: u.OrgID, Users: []int64{u.ID}, Kind: NoticeLocked, Ref: ref, Once: once + "/holder",
		At: at, Subject: text("notice.auth.locked"), Body: join(body, how, text("notice.auth.locked_advice"))})
	if err != nil {
		return apperr.Wrap(err, "notice")
	}
	admins, err := notify.Administrators(ctx, tx, u.OrgID, u.ID)
	if err != nil {
		return err
	}
	err = notify.Notify(ctx, tx, notify.Notice{OrgID: u.OrgID, Users: admins, Kind: NoticeLocked, Ref: ref, Once: once + "/admins",
		At: at, Link: "/users/" + strconv.FormatInt(u.ID, 10), Subject: text("notice.auth.locked_admin", u.Login, u.DisplayName),
		Body: join(body, how)})
	if err != nil {
		return apperr.Wrap(err, "notice")
	}
	return nil
}

// text is a notice's words from the catalogs, in Japanese and English.
func text(key string, args ...any) notify.Text {
	return notify.Text{Ja: i18n.T(i18n.Ja, key, args...), En: i18n.T(i18n.En, key, args...)}
}

func join(parts ...notify.Text) notify.Text {
	var out notify.Text
	for i, p := range parts {
		if i > 0 {
			out.Ja += "\n"
			out.En += "\n"
		}
		out.Ja += p.Ja
		out.En += p.En
	}
	return out
}
