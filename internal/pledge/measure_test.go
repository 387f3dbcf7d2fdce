//go:build measure

// The measurement of docs/PERFORMANCE.md §18: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package pledge_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/pledge"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// measureStaff is how many staff the organisation has: MAMORI_MEASURE_STAFF, 10,000 by default.
func measureStaff() int {
	if n, err := strconv.Atoi(os.Getenv("MAMORI_MEASURE_STAFF")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// measurePack is 土岐市's pack (the base pack's two pledges) with a third that binds every member
// of staff, so that each of the staff has at least one pledge.
const measurePack = `id: toki-measure
name: 土岐市（計測）
organization: 土岐市
kind: municipality
version: "計測"
extends: toki
pledges:
  - id: all-staff
    title: 情報セキュリティポリシーの遵守に関する誓約書
    signers: {employment: [regular, fiscal_year, part_time, contractor]}
    when: [hire, policy_change]
    text: 私は、情報セキュリティポリシー及び実施手順を遵守することを誓約します。
    text_cite: {article: "5", origin: added, reason: 計測用}
    cite: {article: "5", origin: added, reason: 計測用}
`

func timeIt(n int, f func()) (median, p90 time.Duration) {
	f() // warm-up
	var ds []time.Duration
	for range n {
		began := time.Now()
		f()
		ds = append(ds, time.Since(began))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], ds[len(ds)*9/10]
}

// TestMeasurePledges fills measureStaff staff in 50 departments (70% regular, 15% 会計年度任用職員,
// 5% 非常勤, 10% contractors' staff), half of whose pledges are signed, and times the status page
// as the 情報政策課 (the whole organisation) and as one 課長, the desk, and signing one after
// another in Mamori, on both engines.
func TestMeasurePledges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		roles := func(r policy.Role) bool { return r.ID == "ciso" || r.ID == "security_officer" }
		e := apptest.New(t, db, "toki", apptest.Options{Roles: roles, Marks: true})
		if _, err := e.S.Policy.Load(ctx, e.Admin, "measure.yaml", []byte(measurePack)); err != nil {
			t.Fatal(err)
		}
		p, _, err := e.S.Policy.Active(ctx, e.Org)
		if err != nil {
			t.Fatal(err)
		}
		office := e.Actor(e.Holder("ciso@org"))
		manager := e.Actor(e.Holder("security_officer@d:" + strconv.FormatInt(e.DeptA, 10)))
		n := measureStaff()
		began := time.Now()
		depts := []int64{e.DeptA, e.DeptB}
		if err := fill(ctx, e, p, n, &depts); err != nil {
			t.Fatal(err)
		}
		fillTook := time.Since(began)
		b, err := e.S.Pledges.Status(ctx, office, pledge.Filter{State: pledge.StateAll})
		if err != nil {
			t.Fatal(err)
		}
		pending := 0
		for _, it := range b.Items {
			if pledge.Pending(it.State) {
				pending++
			}
		}
		t.Logf("%s: %d staff in %d departments, %d pledges, %d (person, pledge) pairs bound, %d still to sign (filled in %v)",
			db.Engine, n, len(depts), len(p.Pledges), len(b.Items), pending, fillTook.Round(time.Millisecond))
		med, p90 := timeIt(10, func() {
			if _, err := e.S.Pledges.Status(ctx, office, pledge.Filter{}); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: status page, 情報政策課 (whole organisation): median %v, p90 %v", db.Engine, med.Round(time.Millisecond), p90.Round(time.Millisecond))
		med, p90 = timeIt(10, func() {
			if _, err := e.S.Pledges.Status(ctx, manager, pledge.Filter{}); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: status page, one 課長: median %v, p90 %v", db.Engine, med.Round(time.Millisecond), p90.Round(time.Millisecond))
		med, p90 = timeIt(10, func() {
			if _, _, _, err := e.S.Pledges.Pending(ctx, office, 10); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: desk section, 情報政策課: median %v, p90 %v", db.Engine, med.Round(time.Millisecond), p90.Round(time.Millisecond))

		// Signing: the first 500 still to sign the all-staff pledge sign it one after another.
		x, _ := p.Pledge("all-staff")
		var signers []pledge.Item
		for _, it := range b.Items {
			if it.PledgeID == x.ID && it.State == pledge.Unsigned && len(signers) < 500 {
				signers = append(signers, it)
			}
		}
		began = time.Now()
		for i, it := range signers {
			who := access.Actor{OrgID: e.Org, UserID: int64(100000 + i), StaffID: it.StaffID, DepartmentID: it.DepartmentID,
				Login: "m" + it.EmployeeNo, Name: it.Name, RemoteAddr: "192.0.2.1"}
			if _, err := e.S.Pledges.Sign(ctx, who, pledge.SignInput{PledgeID: x.ID, TextSHA256: x.TextSHA256(), TypedName: it.Name, Confirm: true}); err != nil {
				t.Fatal(err)
			}
		}
		took := time.Since(began)
		t.Logf("%s: %d signatures in %v: %.1f a second, %v each", db.Engine, len(signers), took.Round(time.Millisecond),
			float64(len(signers))/took.Seconds(), (took / time.Duration(len(signers))).Round(time.Microsecond))
		e.VerifyAudit()
	})
}

// fill adds 48 departments and n staff, and signs (by SQL, outside the audit chain: the signing
// itself is timed above) the first pledge of every other person bound.
func fill(ctx context.Context, e *apptest.Env, p *policy.Compiled, n int, depts *[]int64) error {
	db := e.S.DB.SQL
	for i := range 48 {
		var id int64
		if err := db.QueryRowContext(ctx, `INSERT INTO departments (org_id, code, name, kind, created_at) VALUES ($1, $2, $3, 'section', $4) RETURNING id`,
			e.Org, fmt.Sprintf("M%02d", i), fmt.Sprintf("計測課%02d", i), time.Now()).Scan(&id); err != nil {
			return err
		}
		*depts = append(*depts, id)
	}
	kinds := []string{"regular", "regular", "regular", "regular", "regular", "regular", "regular", "fiscal_year", "contractor", "part_time"}
	return e.S.DB.InTx(ctx, func(tx *sql.Tx) error {
		for i := range n {
			var id int64
			emp := kinds[i%len(kinds)]
			if i%20 == 7 {
				emp = "fiscal_year"
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO staff (org_id, department_id, employee_no, name, employment, active, created_at, hired_on)
				VALUES ($1, $2, $3, $4, $5, $6, $7, '2026-04-01') RETURNING id`, e.Org, (*depts)[i%len(*depts)], fmt.Sprintf("M%06d", i),
				fmt.Sprintf("計測 %d", i), emp, true, time.Now()).Scan(&id); err != nil {
				return err
			}
			if i%2 == 1 {
				continue
			}
			for _, x := range p.Pledges {
				if !x.Binds(emp, nil) {
					continue
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO pledge_signatures (org_id, pledge_id, staff_id, department_id, method, title, text,
					text_sha256, pack_id, pack_version, typed_name, signed_on, signed_at, recorded_by)
					VALUES ($1, $2, $3, $4, 'online', $5, $6, $7, 'toki-measure', '計測', $8, '2026-04-01', $9, 'measure')`,
					e.Org, x.ID, id, (*depts)[i%len(*depts)], x.Title, x.Text, x.TextSHA256(), fmt.Sprintf("計測 %d", i), time.Now()); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
