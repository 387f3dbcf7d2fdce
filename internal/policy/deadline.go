package policy

import (
	"strings"
	"time"
)

// The deadlines Mamori reads into the words the sources use for "by when". The sources say
// 直ちに, 早急に or 速やかに and leave the hours to the 実施手順; a pack that knows its own hours
// says within_minutes on the step (or category), which always wins.
//
//	直ちに, 即時, 即座に, 早急に → 1 hour
//	速やかに, 遅滞なく           → 24 hours
//	anything else (必要に応じて, 緊急性及び重要性に応じて, none) → no deadline: the report is
//	listed in order but never overdue.
const (
	ImmediateDeadline = time.Hour
	PromptDeadline    = 24 * time.Hour
)

var (
	immediateWords = []string{"直ちに", "即時", "即座に", "早急に"}
	promptWords    = []string{"速やかに", "遅滞なく"}
)

// DeadlineOf returns the time allowed by a pack's minutes or else by the source's words, and
// whether there is a deadline at all.
func DeadlineOf(minutes int, words string) (time.Duration, bool) {
	if minutes > 0 {
		return time.Duration(minutes) * time.Minute, true
	}
	for _, w := range immediateWords {
		if strings.Contains(words, w) {
			return ImmediateDeadline, true
		}
	}
	for _, w := range promptWords {
		if strings.Contains(words, w) {
			return PromptDeadline, true
		}
	}
	return 0, false
}

// wordHours is the deadline, in hours, that Mamori reads into the source's words when the pack
// gives no minutes of its own: the organisation's setting, not the source's (0 when the pack's
// minutes decide or the words set no deadline).
func wordHours(minutes int, words string) int {
	if minutes > 0 {
		return 0
	}
	d, ok := DeadlineOf(0, words)
	if !ok {
		return 0
	}
	return int(d / time.Hour)
}

// WordHours is the step's deadline read from its words (see wordHours), for showing it as the
// organisation's setting.
func (s RouteStep) WordHours() int { return wordHours(s.WithinMinutes, s.Within) }

// WordHours is the category's deadline read from its words (see wordHours).
func (c Category) WordHours() int { return wordHours(c.WithinMinutes, c.Within) }

// Deadline is the time the step allows (see DeadlineOf).
func (s RouteStep) Deadline() (time.Duration, bool) { return DeadlineOf(s.WithinMinutes, s.Within) }

// Deadline is the time the category's reports allow (see DeadlineOf).
func (c Category) Deadline() (time.Duration, bool) { return DeadlineOf(c.WithinMinutes, c.Within) }

// Contact returns the pack's incident contact by id.
func (p *Pack) Contact(id string) (Contact, bool) {
	for _, c := range p.Incident.Contacts {
		if c.ID == id {
			return c, true
		}
	}
	return Contact{}, false
}

// Recipients returns the contacts a report goes to first: FirstRecipients, or the receivers of
// the first route's first step.
func (i Incident) Recipients() []string {
	if len(i.FirstRecipients) > 0 {
		return i.FirstRecipients
	}
	if len(i.Routes) > 0 && len(i.Routes[0].Steps) > 0 {
		return i.Routes[0].Steps[0].To
	}
	return nil
}
