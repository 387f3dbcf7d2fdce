package audit

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// Limits of the text fields.
const (
	maxTitle = 200
	maxText  = 4000
)

func text(v *apperr.Validation, field string, s *string, max int, required bool) {
	*s = strings.TrimSpace(*s)
	switch {
	case required && *s == "":
		v.Add(field, "error.required")
	case utf8.RuneCountInString(*s) > max:
		v.Add(field, "audits.error.too_long", max)
	}
}

func day(v *apperr.Validation, field string, s *string, required bool) {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		if required {
			v.Add(field, "error.required")
		}
		return
	}
	if _, err := time.Parse(time.DateOnly, *s); err != nil {
		v.Add(field, "audits.error.date")
	}
}

// articles are the articles the organisation's pack cites: the criteria an audit may take.
func (s *Service) articles(ctx context.Context, orgID int64) ([]string, error) {
	p, err := s.Policy.Required(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return Articles(p), nil
}

// Articles lists the articles an audit may take as its criteria (policy.Pack.NamedArticles).
func Articles(p *policy.Compiled) []string { return p.NamedArticles() }

func checkArticle(v *apperr.Validation, field string, s *string, known []string) {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		v.Add(field, "error.required")
	} else if !slices.Contains(known, *s) {
		v.Add(field, "audits.error.article", *s)
	}
}
