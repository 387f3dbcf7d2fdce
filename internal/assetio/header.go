package assetio

import (
	"context"
	"database/sql"
	"regexp"
	"sort"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// headerWords are the headers municipalities' registers use for each field, best first: when
// two columns could be the same field, the one with the better word is taken.
var headerWords = []struct {
	field string
	words []string
}{
	{"number", []string{"管理番号", "資産番号", "資産管理番号", "台帳番号", "整理番号", "備品番号", "登録番号", "管理no", "資産id", "情報資産番号", "番号", "number"}},
	{"name", []string{"名称", "資産名", "資産名称", "情報資産名", "情報資産の名称", "情報資産名称", "資産の名称", "件名", "品名", "機器名", "機器名称", "システム名称", "名前", "name"}},
	{"kind", []string{"種別", "資産種別", "資産の種別", "種類", "資産の種類", "分類", "資産分類", "kind", "type"}},
	{"department", []string{"所属", "所属課", "担当課", "管理課", "所管課", "所管", "所管部署", "担当部署", "管理部署", "所属部署", "主管課", "管理所属", "担当所属", "保有課", "部署", "課", "課名", "部署名", "所属名", "department"}},
	{"department_code", []string{"所属コード", "課コード", "部署コード", "所管課コード", "担当課コード", "所属課コード", "department_code"}},
	{"manager", []string{"管理責任者", "資産管理責任者", "情報システム管理者", "責任者", "管理者", "管理者名", "責任者名", "担当者", "担当者名", "manager"}},
	{"segment", []string{"ネットワーク区分", "ネットワーク", "接続系", "ネットワーク分離", "所属ネットワーク", "接続ネットワーク", "区分", "系", "セグメント", "segment"}},
	{"zone", []string{"セキュリティ区画", "区画", "ゾーン", "設置区画", "管理区域", "zone"}},
	{"location", []string{"設置場所", "保管場所", "設置場所・保管場所", "設置・保管場所", "保存場所", "設置場所等", "保管場所等", "所在", "所在地", "場所", "location"}},
	{"system_ref", []string{"関連システム", "システム", "システム名", "所属システム", "利用システム", "情報システム", "system", "system_ref"}},
	{"quantity", []string{"数量", "台数", "個数", "数", "quantity"}},
	{"copies", []string{"複製の保管場所", "複製保管場所", "複製", "複製の有無・保管場所", "バックアップ保管場所", "副本の保管場所", "copies"}},
	{"state", []string{"状態", "使用状況", "利用状況", "状況", "ステータス", "state", "status"}},
	{"acquired_on", []string{"取得日", "導入日", "取得年月日", "導入年月日", "購入日", "購入年月日", "設置日", "acquired_on"}},
	{"disposed_on", []string{"廃棄日", "廃棄年月日", "廃止日", "除却日", "disposed_on"}},
	{"note", []string{"備考", "摘要", "特記事項", "メモ", "その他", "note", "notes", "remarks"}},
	// Columns of a sequence number, and those Rejected adds, are left out.
	{"", []string{"no", "no.", "連番", "項番", "通番", "行番号", "元の行番号", "エラー内容", "エラー"}},
}

// oneAxisWords name the classification of a pack with a single axis.
var oneAxisWords = []string{"重要度", "重要性", "重要性分類", "重要度分類", "情報資産の重要性分類", "格付", "格付け", "分類区分", "機密性", "機密性分類", "機密性区分", "情報資産の分類", "情報の分類", "class"}

// axisSuffixes may follow an axis's name in a header: 機密性 → 機密性分類, 機密性区分.
var axisSuffixes = []string{"", "分類", "区分", "レベル", "の分類", "の区分"}

var markWords = strings.NewReplacer("(必須)", "", "【必須】", "", "[必須]", "", "<必須>", "", "必須", "",
	"*", "", "※", "", "★", "", "☆", "", "◎", "", "●", "", "■", "", "◆", "")

// headerKey is the form headers are compared in: folded, without required marks.
func headerKey(s string) string {
	return strings.Trim(markWords.Replace(fold(s)), ":：・")
}

var bracketed = regexp.MustCompile(`\([^)]*\)|【[^】]*】|\[[^\]]*\]|<[^>]*>|〔[^〕]*〕|「[^」]*」`)

// bare drops bracketed remarks from a header key: 取得日(yyyy/mm/dd) → 取得日.
func bare(key string) string { return bracketed.ReplaceAllString(key, "") }

type guess struct {
	field string
	rank  int // lower is better
}

// Ranks of the sources of a guess.
const (
	rankRemembered = -200 // the organisation's own choice last time
	rankPack       = -100 // the pack's own name of an axis or attribute
	rankBare       = 1000 // matched only once bracketed remarks were dropped
)

// guesser maps headers to fields for one organisation's pack.
type guesser struct {
	pack  *policy.Compiled
	words map[string]guess
}

func newGuesser(p *policy.Compiled, remembered map[string]string) *guesser {
	g := &guesser{pack: p, words: map[string]guess{}}
	put := func(word, field string, rank int) {
		k := headerKey(word)
		if k == "" {
			return
		}
		if old, ok := g.words[k]; !ok || rank < old.rank {
			g.words[k] = guess{field, rank}
		}
	}
	for _, hw := range headerWords {
		for i, w := range hw.words {
			put(w, hw.field, i)
		}
		if hw.field != "" {
			put(hw.field, hw.field, 0)
		}
	}
	axes := p.Classification.Axes
	if len(axes) == 1 {
		for i, w := range oneAxisWords {
			put(w, "class."+axes[0].ID, i)
		}
	}
	for _, a := range axes {
		for _, suffix := range axisSuffixes {
			put(a.Name+suffix, "class."+a.ID, rankPack)
			put(bare(headerKey(a.Name))+suffix, "class."+a.ID, rankPack+1)
		}
		put(a.ID, "class."+a.ID, rankPack)
		put("class."+a.ID, "class."+a.ID, rankPack)
	}
	for _, a := range p.Attributes {
		if a.On != "asset" {
			continue
		}
		put(a.Name, "attrs."+a.ID, rankPack)
		put(bare(headerKey(a.Name)), "attrs."+a.ID, rankPack+1)
		put(a.ID, "attrs."+a.ID, rankPack)
		put("attrs."+a.ID, "attrs."+a.ID, rankPack)
	}
	for k, field := range remembered {
		if validField(p, field) {
			g.words[k] = guess{field, rankRemembered}
		}
	}
	return g
}

// lookup guesses one header.
func (g *guesser) lookup(header string) (guess, bool) {
	k := headerKey(header)
	if k == "" {
		return guess{}, false
	}
	if w, ok := g.words[k]; ok {
		return w, true
	}
	if w, ok := g.words[bare(k)]; ok {
		w.rank += rankBare
		return w, true
	}
	return guess{}, false
}

// assign maps each column of a header row to a field (or "" to leave it out): explicit
// choices first, then the guesses, the best-ranked column winning a field.
func (g *guesser) assign(headers []string, explicit map[string]string) ([]string, error) {
	fields := make([]string, len(headers))
	chosen := map[string]string{} // header key → field, from the user
	for h, f := range explicit {
		f = strings.TrimSpace(f)
		if f == "-" {
			f = ""
		}
		if !validField(g.pack, f) {
			return nil, apperr.InvalidField("mapping", "import.error.mapping_field", h, f)
		}
		chosen[headerKey(h)] = f
	}
	taken := map[string]int{} // field → column
	type cand struct {
		col int
		guess
	}
	var cands []cand
	for i, h := range headers {
		k := headerKey(h)
		if k == "" {
			continue
		}
		if f, ok := chosen[k]; ok {
			if f == "" {
				continue
			}
			if prev, dup := taken[f]; dup {
				return nil, apperr.InvalidField("mapping", "import.error.mapping_twice", headers[prev], h, f)
			}
			taken[f], fields[i] = i, f
			continue
		}
		if w, ok := g.lookup(h); ok && w.field != "" {
			cands = append(cands, cand{i, w})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].rank < cands[b].rank })
	for _, c := range cands {
		if _, dup := taken[c.field]; !dup {
			taken[c.field], fields[c.col] = c.col, c.field
		}
	}
	return fields, nil
}

// validField reports whether id is a field of the pack ("" leaves a column out).
func validField(p *policy.Compiled, id string) bool {
	if id == "" {
		return true
	}
	if _, ok := fixedField(id); ok {
		return true
	}
	if axis, ok := strings.CutPrefix(id, "class."); ok {
		_, ok := p.Axis(axis)
		return ok
	}
	if attr, ok := strings.CutPrefix(id, "attrs."); ok {
		for _, a := range p.Attributes {
			if a.ID == attr && a.On == "asset" {
				return true
			}
		}
	}
	return false
}

// fieldsOf lists the fields of a pack in the order an export writes them.
func fieldsOf(p *policy.Compiled) []Field {
	var out []Field
	for _, f := range fixed {
		switch {
		case f.ID == "segment" && len(p.Segments) == 0, f.ID == "zone" && len(p.Zones) == 0:
			continue
		}
		out = append(out, f)
		if f.ID == "manager" {
			for _, a := range p.Classification.Axes {
				out = append(out, Field{ID: "class." + a.ID, Label: a.Name, LabelEn: a.Name, Required: true})
			}
		}
	}
	for _, a := range p.Attributes {
		if a.On == "asset" {
			out = append(out, Field{ID: "attrs." + a.ID, Label: a.Name, LabelEn: a.ID})
		}
	}
	return out
}

// FieldsFor returns every field an organisation can import: the fixed ones, the axes of its
// pack and the pack's attributes, each with the header an export writes.
func (im *Importer) FieldsFor(ctx context.Context, orgID int64) ([]Field, error) {
	p, _, err := im.Assets.Policy.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if err != nil {
		return nil, err
	}
	return fieldsOf(p), nil
}

// mappingKind names the mappings of asset registers in import_mappings (other registers may
// keep theirs there too).
const mappingKind = "assets"

// rememberedMapping returns the organisation's choices of earlier imports, by header key.
func rememberedMapping(ctx context.Context, db *store.DB, orgID int64) (map[string]string, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT header, field FROM import_mappings WHERE org_id = $1 AND kind = $2`, orgID, mappingKind)
	if err != nil {
		return nil, apperr.Wrap(err, "import mappings")
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var h, f string
		if err := rows.Scan(&h, &f); err != nil {
			return nil, apperr.Wrap(err, "import mappings")
		}
		out[h] = f
	}
	return out, rows.Err()
}

// rememberMapping keeps the mapping of an applied import for the organisation's next one.
func rememberMapping(ctx context.Context, db *store.DB, orgID int64, headers, fields []string, now time.Time) error {
	return db.InTx(ctx, func(tx *sql.Tx) error {
		for i, h := range headers {
			k := headerKey(h)
			if k == "" {
				continue
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO import_mappings (org_id, kind, header, field, updated_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (org_id, kind, header) DO UPDATE SET field = excluded.field, updated_at = excluded.updated_at`,
				orgID, mappingKind, k, fields[i], now)
			if err != nil {
				return apperr.Wrap(err, "remember import mapping")
			}
		}
		return nil
	})
}
