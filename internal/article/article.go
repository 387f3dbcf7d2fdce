// Package article is what Mamori's records say about the articles of the policy: the facts a
// 見直し (policy review) gathers for each article — self-inspection answers, audit results,
// findings, incidents, risks and exceptions — each read by the service that keeps the record,
// under that record's own read rule.
package article

import (
	"context"
	"time"

	"mamori/internal/access"
)

// Fact is one record that bears on one article.
type Fact struct {
	// Article is the cited article as the pack writes it (第2章 5(1)①ウ(イ), 第15条 …).
	Article string `json:"article"`
	// Kind is the kind of record: inspection, audit, finding, incident, risk, exception.
	Kind string `json:"kind"`
	// Title says what the record is, in the words its page uses.
	Title string `json:"title"`
	// State is the record's state as a catalog key (e.g. inspection.answer.not_done), so that
	// the page shows its label and never its code.
	State string `json:"state"`
	// Link is the record's page.
	Link string    `json:"link"`
	At   time.Time `json:"at"`
}

// Source is a service that knows which of its records bear on which article, in a period.
// It returns only the records the actor may read.
type Source interface {
	ArticleFacts(ctx context.Context, who access.Actor, from, to time.Time) ([]Fact, error)
}
