package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"

	"mamori/internal/app"
)

// fillPublicTexts gives the logbook entries written before entries kept a public text theirs
// (logbook.Service.FillPublicText), and tells how many of each organisation it gave one.
func fillPublicTexts(ctx context.Context, s *app.Services, report func(orgID int64, n int)) error {
	filled, err := s.Logbooks.FillPublicTexts(ctx)
	for _, org := range slices.Sorted(maps.Keys(filled)) {
		if n := filled[org]; n > 0 {
			report(org, n)
		}
	}
	return err
}

// printPublicTexts is fillPublicTexts for mamori migrate.
func printPublicTexts(ctx context.Context, s *app.Services, w io.Writer) error {
	return fillPublicTexts(ctx, s, func(org int64, n int) {
		fmt.Fprintf(w, "記録簿の検索用テキストを %d 件作成しました（団体 %d）/ logbook entries given a public search text: %d (organisation %d)\n",
			n, org, n, org)
	})
}

// startPublicTexts runs fillPublicTexts once while serve answers, so that a large register does
// not delay the start; the returned function stops it and waits for the batch in hand.
func startPublicTexts(ctx context.Context, s *app.Services, log *slog.Logger) func() {
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := fillPublicTexts(fctx, s, func(org int64, n int) {
			log.Info("logbook entries given a public search text", "org", org, "entries", n)
		})
		if err != nil && fctx.Err() == nil {
			log.Error("logbook public search text", "error", err)
		}
	}()
	return func() { cancel(); <-done }
}
