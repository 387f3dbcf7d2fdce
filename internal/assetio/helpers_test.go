package assetio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/assetio"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// env is an organisation with a pack, two sections and a staff member.
type env struct {
	t            testing.TB
	s            *app.Services
	im           *assetio.Importer
	admin        access.Actor
	soumu, zeimu int64 // 総務課 (code 100), 税務課 (code 200)
	yamada       int64 // 山田 太郎, employee number 1001, of 総務課
}

// newEnv bootstraps the database's first organisation on pack (kishiwada: 重要度 A/B/C and
// zones L0–L4; yamagata: 機密性, 完全性 and 可用性).
func newEnv(t testing.TB, db *store.DB, pack string) *env {
	t.Helper()
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := s.Bootstrap(context.Background(), app.Setup{OrgCode: "k", OrgName: "テスト市", PackID: pack})
	if err != nil {
		t.Fatal(err)
	}
	return setUp(t, s, first.Org.ID)
}

// anotherOrg adds an organisation on pack to the same database, with the same departments.
func (e *env) anotherOrg(code, pack string) *env {
	e.t.Helper()
	ctx := context.Background()
	o, err := e.s.Org.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: code, Name: "別の町"})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.s.Policy.Use(ctx, access.System(o.ID, "system"), pack); err != nil {
		e.t.Fatal(err)
	}
	return setUp(e.t, e.s, o.ID)
}

func setUp(t testing.TB, s *app.Services, orgID int64) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, s: s, admin: access.System(orgID, "test")}
	e.im = &assetio.Importer{Assets: s.Assets, DB: s.DB}
	for _, d := range []struct {
		code, name string
		id         *int64
	}{{"100", "総務課", &e.soumu}, {"200", "税務課", &e.zeimu}} {
		made, err := s.Org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		*d.id = made.ID
	}
	st, err := s.Org.CreateStaff(ctx, e.admin, org.StaffInput{DepartmentID: e.soumu, EmployeeNo: "1001", Name: "山田 太郎", Employment: "regular", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	e.yamada = st.ID
	return e
}

// load imports a file and fails the test on an error of the file as a whole.
func (e *env) load(name string, data []byte, opts assetio.Options) assetio.Report {
	e.t.Helper()
	rep, err := e.im.Import(context.Background(), e.admin, name, bytes.NewReader(data), opts)
	if err != nil {
		e.t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

// all lists the organisation's register, ordered by number.
func (e *env) all() []asset.Asset {
	e.t.Helper()
	var out []asset.Asset
	for off := 0; ; off += 500 {
		list, total, err := e.s.Assets.List(context.Background(), e.admin, asset.Filter{Limit: 500, Offset: off})
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, list...)
		if off+len(list) >= total {
			return out
		}
	}
}

func (e *env) count() int {
	e.t.Helper()
	_, total, err := e.s.Assets.List(context.Background(), e.admin, asset.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return total
}

// csvFile writes rows as CSV with CRLF, as Excel does.
func csvFile(rows ...[]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.WriteAll(rows)
	return b.Bytes()
}

func withBOM(b []byte) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, b...) }

func sjis(t testing.TB, b []byte) []byte {
	t.Helper()
	out, err := japanese.ShiftJIS.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// kishiwadaHeader is a register as a 課 of a kishiwada-pack organisation keeps it.
var kishiwadaHeader = []string{"管理番号", "資産名", "種別", "担当課", "管理責任者", "重要度", "ネットワーク", "区画", "設置場所", "数量", "状態", "取得日", "備考", "多要素認証"}

func kishiwadaRows() [][]string {
	return [][]string{
		append([]string(nil), kishiwadaHeader...), // a copy: tests change the header they are given
		{"PC-001", "業務用端末 1", "パソコン", "総務課", "山田 太郎", "Ａ", "LGWAN接続系", "区画L2", "本庁舎2階", "1", "使用中", "令和8年4月1日", "", "○"},
		{"ＰＣ－００２", "業務用端末 2", "端末", "100", "1001", "B", "ＬＧＷＡＮ接続系", "L2", "本庁舎2階", "２", "稼働中", "2026/4/1", "予備機", "×"},
		{"MD-001", "USBメモリ（暗号化）", "USBメモリ", "税務課", "", "重要度Ａ", "", "L3", "金庫", "3台", "保管", "R7.10.1", "", ""},
		{"DOC-001", "課税台帳", "紙", "税務課", "", "C", "", "L3", "書庫", "", "", "平成31年4月30日", "", ""},
	}
}

func rowErrors(rep assetio.Report) string {
	var b strings.Builder
	for _, e := range rep.Errors {
		b.WriteString("\n  行 " + itoa(e.Row) + " 列「" + e.Column + "」: " + e.Message)
	}
	return b.String()
}

func itoa(n int) string {
	s := ""
	if n == 0 {
		return "0"
	}
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

// asset1 is a valid asset of a kishiwada-pack organisation.
func asset1(number string, dept int64) asset.Input {
	return asset.Input{Number: number, Name: "業務用端末", Kind: "terminal", DepartmentID: dept, Class: map[string]string{"importance": "B"}, Zone: "L2"}
}

// register is the organisation's register as text, without what differs between
// organisations (ids, timestamps): two registers with the same text hold the same assets.
func register(e *env) string {
	e.t.Helper()
	var b strings.Builder
	for _, a := range e.all() {
		a.ID, a.OrgID, a.DepartmentID, a.ManagerStaffID = 0, 0, 0, 0
		a.CreatedAt, a.UpdatedAt = time.Time{}, time.Time{}
		j, _ := json.Marshal(a)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}
