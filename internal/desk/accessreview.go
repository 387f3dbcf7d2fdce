package desk

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/accessreview"
)

// accessReviews fills the desk's access review (棚卸し) sections: the reviews where the person
// still has accounts to decide or removals to prove, and the overdue reviews they read.
func (s *Service) accessReviews(ctx context.Context, who access.Actor, d *Desk) error {
	d.AccessReviews = Section[accessreview.Waiting]{Items: []accessreview.Waiting{}}
	d.OverdueAccessReviews = Section[accessreview.Review]{Items: []accessreview.Review{}}
	if s.AccessReviews == nil {
		return nil
	}
	var err error
	if d.AccessReviews, err = section(s.AccessReviews.Awaiting(ctx, who, Rows)); err != nil {
		return err
	}
	list, err := s.AccessReviews.Overdue(ctx, who, Rows+1)
	if err != nil {
		return err
	}
	d.OverdueAccessReviews, _ = section(list[:min(len(list), Rows)], len(list), nil)
	return nil
}
