package store_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// Reads answers as the database does, for the same statement run again, for more statements
// than it keeps prepared, and for statements run at once from several goroutines; a bad
// statement fails as it would unprepared.
func TestReadsAnswerAsTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		q := db.Reads()
		var wg sync.WaitGroup
		errs := make(chan string, 8)
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 700 {
					n := i % 600 // more distinct statements than are kept, some run again
					var got int
					err := q.QueryRowContext(ctx, `SELECT `+strconv.Itoa(n)+` + $1`, g).Scan(&got)
					if err != nil || got != n+g {
						errs <- "statement " + strconv.Itoa(n) + ": got " + strconv.Itoa(got) + " " + errString(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		rows, err := q.QueryContext(ctx, `SELECT 1 UNION ALL SELECT 2`)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			sum += v
		}
		rows.Close()
		if sum != 3 {
			t.Fatalf("rows summed to %d", sum)
		}
		var v int
		if err := q.QueryRowContext(ctx, `SELECT FROM nowhere`).Scan(&v); err == nil {
			t.Fatal("a bad statement answered")
		}
		if _, err := q.QueryContext(ctx, `SELECT FROM nowhere`); err == nil {
			t.Fatal("a bad statement answered")
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
