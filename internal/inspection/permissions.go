package inspection

import (
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// One function per act. The act calls it and refuses with its error; the pages offer a button
// only when the same function allows it (actsOf).

// MayStart reports whether the actor may start a campaign: the 情報政策課 (an organisation-wide
// security role) or the program itself.
func MayStart(p *policy.Compiled, who access.Actor) error {
	if who.ReadOnly || !(who.IsSystem() || orgSecurity(p, who)) {
		return apperr.New(apperr.Forbidden, "inspection.error.may_not_start")
	}
	return nil
}

// closesAt is the moment a deadline (YYYY-MM-DD, a day in Japan) has passed: the next midnight
// in Tokyo.
func closesAt(day string) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, day, i18n.Tokyo)
	if err != nil {
		return time.Time{}
	}
	return d.AddDate(0, 0, 1)
}

// pastDeadline refuses an answer given after the sheet's deadline, naming the day.
func pastDeadline(sh Sheet, now time.Time) error {
	if !now.Before(closesAt(sh.Deadline)) {
		return &apperr.Error{Code: apperr.Conflict, Key: "inspection.error.past_deadline", Args: []any{i18n.Day(sh.Deadline)}}
	}
	return nil
}

// mayAnswer: those who answer the sheet (and the program), while the campaign is open, the
// sheet not submitted, and its deadline not passed.
func mayAnswer(st standing, who access.Actor, c Campaign, sh Sheet, now time.Time) error {
	switch {
	case who.ReadOnly || (st != answerer && !who.IsSystem()):
		return apperr.New(apperr.Forbidden, "inspection.error.may_not_answer")
	case c.State != CampaignOpen:
		return apperr.New(apperr.Conflict, "inspection.error.campaign_closed")
	case sh.State == SheetSubmitted:
		return apperr.New(apperr.Conflict, "inspection.error.already_submitted")
	}
	return pastDeadline(sh, now)
}

// maySubmit: as mayAnswer, with every item answered.
func maySubmit(st standing, who access.Actor, c Campaign, sh Sheet, now time.Time) error {
	if err := mayAnswer(st, who, c, sh, now); err != nil {
		return err
	}
	if sh.Answered < sh.Items {
		return &apperr.Error{Code: apperr.Invalid, Key: "inspection.error.unanswered", Args: []any{sh.Items - sh.Answered}}
	}
	return nil
}

// mayReturn: the 情報政策課, a submitted sheet of an open campaign.
func mayReturn(st standing, who access.Actor, c Campaign, sh Sheet) error {
	switch {
	case who.ReadOnly || st != steward:
		return apperr.New(apperr.Forbidden, "inspection.error.may_not_return")
	case c.State != CampaignOpen:
		return apperr.New(apperr.Conflict, "inspection.error.campaign_closed")
	case sh.State != SheetSubmitted:
		return apperr.New(apperr.Conflict, "inspection.error.not_submitted")
	}
	return nil
}

// mayCloseCampaign: the 情報政策課, an open campaign.
func mayCloseCampaign(p *policy.Compiled, who access.Actor, c Campaign) error {
	if err := MayStart(p, who); err != nil {
		return apperr.New(apperr.Forbidden, "inspection.error.may_not_close")
	}
	if c.State != CampaignOpen {
		return apperr.New(apperr.Conflict, "inspection.error.campaign_closed")
	}
	return nil
}

// mayCloseFinding: its owner's place — those who answer its sheet — or the 情報政策課, while it
// is open.
func mayCloseFinding(st standing, who access.Actor, f Finding) error {
	switch {
	case who.ReadOnly || (st != answerer && st != steward):
		return apperr.New(apperr.Forbidden, "inspection.error.may_not_close_finding")
	case f.State != FindingOpen:
		return apperr.New(apperr.Conflict, "inspection.error.finding_closed")
	}
	return nil
}

// actsOf are the acts the pages offer on a sheet.
func actsOf(st standing, who access.Actor, c Campaign, sh Sheet, now time.Time) Acts {
	return Acts{
		Answer: mayAnswer(st, who, c, sh, now) == nil,
		Submit: maySubmit(st, who, c, sh, now) == nil,
		Return: mayReturn(st, who, c, sh) == nil,
	}
}
