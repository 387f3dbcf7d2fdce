package demo

// The demo register (情報資産管理台帳): a few hundred invented assets spread over the demo
// organisation's departments — the systems each 課 runs, its terminals, phones, media, paper
// and data, the servers and network of the department that runs them — classified on every
// axis of the pack, placed in its segments and zones, with the pack's attributes where the pack
// declares them, and some of them lent, taken out, in repair, stored or disposed of.
//
// The register is generated from a seed (the pack's id), so a pack's demo is the same on every
// load; only dates follow the day it is loaded. Load enters it through asset.Service, so every
// asset is validated against the pack and audited like one a user enters. FillRegister writes
// the same kind of register, at any size, straight into the tables, for benchmarks.

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"mamori/internal/asset"
	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// unit is a department the register is generated for.
type unit struct {
	id   int64
	code string
	name string
	kind string // division, section, unit, office, school, board
	head int64  // staff id of its head, the 管理責任者 of its assets; 0 when it has none
	it   bool   // it runs the network and the servers (情報政策, ＩＴ推進 …)
}

// generator turns items into asset inputs for one pack.
type generator struct {
	p      *policy.Compiled
	rng    *rand.Rand
	today  time.Time
	seq    map[string]int // by department code and kind prefix
	floors map[int64]int  // the floor of the town hall each department sits on
	attrs  []policy.Attribute
	zones  []policy.Zone // by rank, highest first
	segs   map[string]bool
	hasSeg bool
}

func newGenerator(p *policy.Compiled, today time.Time) *generator {
	h := fnv.New64a()
	h.Write([]byte(p.ID))
	g := &generator{p: p, rng: rand.New(rand.NewPCG(h.Sum64(), 2026)), today: today.UTC(),
		seq: map[string]int{}, floors: map[int64]int{}, segs: map[string]bool{}}
	for _, a := range p.Attributes {
		if a.On == "asset" {
			g.attrs = append(g.attrs, a)
		}
	}
	g.zones = slices.Clone(p.Zones)
	slices.SortStableFunc(g.zones, func(a, b policy.Zone) int { return cmp.Compare(b.Rank, a.Rank) })
	for _, s := range p.Segments {
		g.segs[s.ID], g.hasSeg = true, true
	}
	return g
}

// input numbers, classifies and places one item of a department.
func (g *generator) input(u unit, it item) asset.Input {
	prefix := kindPrefix[it.kind]
	g.seq[u.code+prefix]++
	in := asset.Input{
		Number:         fmt.Sprintf("%s-%s-%03d", u.code, prefix, g.seq[u.code+prefix]),
		Name:           it.name,
		Kind:           it.kind,
		DepartmentID:   u.id,
		ManagerStaffID: u.head,
		Segment:        g.segment(it),
		Zone:           g.zone(it),
		Class:          g.class(it),
		Location:       g.location(u, it),
		SystemRef:      it.system,
		Quantity:       max(it.qty, 1),
		State:          "in_use",
	}
	if it.kind == "system" {
		in.SystemRef = it.name
	}
	acquired := g.acquired(it)
	in.AcquiredOn = acquired.Format(time.DateOnly)
	g.lifecycle(&in, it, acquired)
	in.Copies = g.copies(it)
	in.Attrs = g.attributes(in, it, acquired)
	return in
}

// segment is the item's segment when the pack has it: マイナンバー利用事務系 and 管理系 fall back
// to LGWAN接続系 in a pack without them; a pack without segments leaves it empty.
func (g *generator) segment(it item) string {
	if it.seg == "" || !g.hasSeg {
		return ""
	}
	for _, s := range []string{it.seg, "lgwan"} {
		if g.segs[s] {
			return s
		}
	}
	return ""
}

// zone places a physical item in the pack's zones: servers and core network in the highest;
// with three zones or more, the sensitive terminals, media and paper in the next (locked when
// not in use), the others in the office zone, counters and lobbies lower still.
func (g *generator) zone(it item) string {
	z := g.zones
	if len(z) == 0 || it.kind == "information" || it.kind == "system" {
		return ""
	}
	if it.where == "server" && (it.kind == "server" || it.kind == "network" || it.kind == "terminal") {
		return z[0].ID
	}
	if len(z) < 3 {
		return ""
	}
	switch {
	case it.where == "lobby":
		return z[len(z)-1].ID
	case it.where == "counter" || it.where == "classroom":
		return z[min(3, len(z)-1)].ID
	case it.sens == 2 || it.where == "safe":
		return z[1].ID
	}
	return z[2].ID
}

// class puts the item on every axis: the sensitivity decides confidentiality-like axes, the
// kind decides availability; the middle levels are shared out at random.
func (g *generator) class(it item) map[string]string {
	out := map[string]string{}
	for _, axis := range g.p.Classification.Axes {
		levels := slices.Clone(axis.Levels)
		slices.SortStableFunc(levels, func(a, b policy.Level) int { return cmp.Compare(b.Rank, a.Rank) })
		if len(levels) == 0 {
			continue
		}
		score := it.sens
		if strings.Contains(axis.ID, "avail") || strings.Contains(axis.Name, "可用") {
			switch it.kind {
			case "system", "server", "network":
				score = min(2, it.sens+1)
			case "terminal", "information":
				score = 1
			default:
				score = 0
			}
		}
		var l policy.Level
		switch {
		case score >= 2:
			l = levels[0]
		case score <= 0:
			l = levels[len(levels)-1]
		case len(levels) <= 2:
			l = levels[g.rng.IntN(len(levels))]
		default:
			l = levels[1+g.rng.IntN(len(levels)-2)]
		}
		out[axis.ID] = l.ID
	}
	return out
}

func (g *generator) floor(u unit) int {
	if f, ok := g.floors[u.id]; ok {
		return f
	}
	f := 1 + len(g.floors)%3
	g.floors[u.id] = f
	return f
}

func (g *generator) location(u unit, it item) string {
	if u.kind == "school" {
		switch it.where {
		case "server":
			return u.name + " 事務室 サーバラック（施錠）"
		case "safe":
			return u.name + " 校長室 耐火金庫"
		case "classroom":
			return u.name + " 普通教室 充電保管庫"
		case "cloud":
			return "教育委員会契約 クラウドサービス（国内データセンター）"
		case "archive", "cabinet":
			return u.name + " 職員室 施錠書庫"
		}
		return u.name + " 職員室"
	}
	office := fmt.Sprintf("本庁舎%d階 %s執務室", g.floor(u), u.name)
	switch it.where {
	case "server":
		return "本庁舎3階 サーバ室"
	case "cloud":
		if it.seg == "mynumber" {
			return "自治体クラウド（委託先データセンター）"
		}
		return "委託先データセンター"
	case "safe":
		return office + " 耐火金庫"
	case "cabinet":
		return office + " 施錠キャビネット"
	case "archive":
		return "本庁舎地下1階 書庫"
	case "counter":
		return "本庁舎1階 " + u.name + "窓口"
	case "lobby":
		return "本庁舎1階 ロビー"
	}
	return office
}

// acquired is when the item came: paper at the start of a fiscal year, equipment within the last
// eight years, systems a little longer ago.
func (g *generator) acquired(it item) time.Time {
	y := g.today.Year()
	switch it.kind {
	case "document":
		return time.Date(y-1-g.rng.IntN(5), time.April, 1, 0, 0, 0, 0, time.UTC)
	case "system", "information":
		return time.Date(y-2-g.rng.IntN(8), time.April, 1, 0, 0, 0, 0, time.UTC)
	}
	return g.today.AddDate(0, 0, -30-g.rng.IntN(8*365))
}

// lifecycle sets the state: most assets are in use; equipment and paper are sometimes lent,
// taken out, in repair, stored or disposed of, with the dates in the note.
func (g *generator) lifecycle(in *asset.Input, it item, acquired time.Time) {
	if it.kind == "system" || it.kind == "information" {
		return
	}
	day := func(back int) time.Time { return g.today.AddDate(0, 0, -back) }
	r := g.rng.IntN(100)
	movable := it.kind == "mobile" || it.kind == "media" || strings.Contains(it.name, "ノート") || strings.Contains(it.name, "タブレット")
	switch {
	case r < 6 && acquired.Before(day(400)):
		gone := acquired.AddDate(0, 0, 365+g.rng.IntN(max(1, int(day(1).Sub(acquired).Hours()/24)-365)))
		in.State, in.DisposedOn = "disposed", gone.Format(time.DateOnly)
		switch it.kind {
		case "document":
			in.Note = "保存年限満了により溶解処理（" + i18n.Wareki(gone) + "）"
		case "media", "terminal", "mobile", "server":
			in.Note = "データ消去証明書受領のうえ物理破壊（" + i18n.Wareki(gone) + "）"
		default:
			in.Note = "更新により廃棄（" + i18n.Wareki(gone) + "）"
		}
	case r < 10 && movable:
		from := day(g.rng.IntN(10))
		to := from.AddDate(0, 0, 7+g.rng.IntN(14))
		in.State = "lent"
		in.Note = fmt.Sprintf("貸出先: %s（%s〜%s）", lendTo[g.rng.IntN(len(lendTo))], i18n.Wareki(from), i18n.Wareki(to))
	case r < 14 && (movable || it.kind == "document"):
		from := day(g.rng.IntN(3))
		in.State = "taken_out"
		in.Note = fmt.Sprintf("持ち出し: %s（%s〜%s）所属長承認済", takeOutTo[g.rng.IntN(len(takeOutTo))], i18n.Wareki(from), i18n.Wareki(from.AddDate(0, 0, 1+g.rng.IntN(3))))
	case r < 17 && (it.kind == "terminal" || it.kind == "server" || it.kind == "network" || it.kind == "mobile"):
		from := day(g.rng.IntN(20))
		in.State = "in_repair"
		in.Note = fmt.Sprintf("修理依頼: %s（%s〜）保守業者へ引渡し、記憶装置は取外し済", faults[g.rng.IntN(len(faults))], i18n.Wareki(from))
	case r < 21 && it.kind != "server" && it.kind != "network":
		in.State = "stored"
		in.Note = "予備として保管"
	}
}

var lendTo = []string{"総務課（研修用）", "税務課（申告相談会場）", "住民課（出張窓口）", "議会事務局", "選挙管理委員会（期日前投票所）"}
var takeOutTo = []string{"県庁での会議", "出張窓口（公民館）", "現地調査", "研修会場", "家庭訪問"}
var faults = []string{"画面表示不良", "起動しない", "キーボード故障", "バッテリー膨張", "ファン異音", "電源ユニット故障"}

func (g *generator) copies(it item) string {
	switch {
	case it.kind == "information" && it.sens >= 1:
		return "バックアップ: LTOテープ（サーバ室 耐火金庫）、遠隔地保管（委託先）"
	case it.kind == "system" && it.sens == 2:
		return "バックアップ: 委託先データセンター（別拠点）"
	case it.kind == "document" && it.sens == 2 && g.rng.IntN(2) == 0:
		return "写し: なし（原本のみ）"
	case it.kind == "document" && g.rng.IntN(3) == 0:
		return "電子化済み（文書管理システム）"
	}
	return ""
}

// attrRule says which kinds of asset carry an attribute and how often a bool one is true.
type attrRule struct {
	kinds []string
	true  int // per cent
	sens  int // only items at least this sensitive
}

// attrRules are the attributes of the shipped packs the demo fills in, by id. Attributes not
// named here are left unset, as a register would leave a column it does not keep.
var attrRules = map[string]attrRule{
	"mfa":                      {kinds: []string{"system", "server"}, true: 85},
	"mirrored":                 {kinds: []string{"server", "system"}, true: 70, sens: 1},
	"redundant":                {kinds: []string{"server", "system", "network"}, true: 60, sens: 1},
	"backup":                   {kinds: []string{"server", "system", "information"}, true: 90},
	"backup_regular":           {kinds: []string{"server", "system", "information"}, true: 90},
	"periodic_backup":          {kinds: []string{"server", "system", "information"}, true: 90},
	"antivirus":                {kinds: []string{"terminal", "server", "mobile"}, true: 95},
	"anti_malware":             {kinds: []string{"terminal", "server", "mobile"}, true: 95},
	"antimalware":              {kinds: []string{"terminal", "server", "mobile"}, true: 95},
	"malware_protection":       {kinds: []string{"terminal", "server", "mobile"}, true: 95},
	"pattern_file_current":     {kinds: []string{"terminal", "server"}, true: 90},
	"takeout_blocked":          {kinds: []string{"terminal"}, true: 90, sens: 2},
	"usb_takeout_blocked":      {kinds: []string{"terminal"}, true: 90, sens: 2},
	"usb_export_blocked":       {kinds: []string{"terminal"}, true: 90, sens: 2},
	"take_out_disabled":        {kinds: []string{"terminal"}, true: 90, sens: 2},
	"backup_power":             {kinds: []string{"server", "network"}, true: 90},
	"ups":                      {kinds: []string{"server", "network"}, true: 90},
	"write_protected":          {kinds: []string{"media"}, true: 50},
	"locked_storage":           {kinds: []string{"media", "document"}, true: 90, sens: 1},
	"locked_fireproof_storage": {kinds: []string{"media", "document"}, true: 80, sens: 2},
	"locked":                   {kinds: []string{"server", "network"}, true: 90},
	"classification_labeled":   {kinds: []string{"media", "document"}, true: 85},
	"long_term_storage":        {kinds: []string{"document"}, true: 60, sens: 2},
	"vendor_supported":         {kinds: []string{"system", "server", "network"}, true: 85},
	"vendor_support_ended":     {kinds: []string{"server", "terminal"}, true: 8},
	"critical_server":          {kinds: []string{"server"}, true: 100, sens: 2},
	"segment_isolated":         {kinds: []string{"system", "server", "terminal"}, true: 95, sens: 2},
	"boundary_firewall":        {kinds: []string{"network"}, true: 50, sens: 1},
	"login_password":           {kinds: []string{"terminal", "mobile"}, true: 98},
	"fixed":                    {kinds: []string{"server", "network"}, true: 90},
	"quake_fixed":              {kinds: []string{"server", "network"}, true: 80},
	"anti_theft_wire":          {kinds: []string{"terminal"}, true: 70},
	"network_connected":        {kinds: []string{"terminal", "server"}, true: 95},
	"uses_network":             {kinds: []string{"terminal", "server"}, true: 95},
	"school_lan":               {kinds: []string{"terminal", "server", "network"}, true: 90},
	"important_logs":           {kinds: []string{"server"}, true: 90},
	"auth_logging":             {kinds: []string{"server", "system"}, true: 90},
	"time_synced":              {kinds: []string{"server", "network"}, true: 95},
	"traffic_monitoring":       {kinds: []string{"network"}, true: 70},
	"wireless":                 {kinds: []string{"mobile"}, true: 100},
	"wireless_lan":             {kinds: []string{"mobile"}, true: 100},
	"wireless_encrypted":       {kinds: []string{"mobile"}, true: 95},
	"wireless_encryption":      {kinds: []string{"mobile"}, true: 95},
	"strong_encryption_auth":   {kinds: []string{"mobile"}, true: 95},
	"finalized":                {kinds: []string{"media"}, true: 40},
}

// attributes fills the pack's attributes the demo knows for the item: bools by the rules above,
// support_end and planned_use_end some years after acquisition, the 岸和田市 disposal date and
// method for what was disposed of, a lockout threshold for systems.
func (g *generator) attributes(in asset.Input, it item, acquired time.Time) map[string]any {
	out := map[string]any{}
	life := 5 + g.rng.IntN(3) // years of vendor support
	for _, a := range g.attrs {
		switch {
		case a.Type == "bool":
			r, ok := attrRules[a.ID]
			if !ok || !slices.Contains(r.kinds, it.kind) || it.sens < r.sens {
				continue
			}
			out[a.ID] = g.rng.IntN(100) < r.true
		case a.Type == "date" && (a.ID == "support_end" || a.ID == "planned_use_end"):
			if it.kind == "terminal" || it.kind == "server" || it.kind == "network" || it.kind == "system" {
				years := life
				if a.ID == "planned_use_end" {
					years++
				}
				out[a.ID] = acquired.AddDate(years, 0, 0).Format(time.DateOnly)
			}
		case a.Type == "date" && a.ID == "disposal_date":
			if in.DisposedOn != "" {
				out[a.ID] = in.DisposedOn
			}
		case a.Type == "enum" && a.ID == "disposal_method" && len(a.Values) > 0:
			if in.DisposedOn != "" && it.kind != "information" && it.kind != "system" {
				out[a.ID] = a.Values[len(a.Values)-1]
			}
		case a.Type == "int" && a.ID == "lockout_threshold":
			if it.kind == "system" {
				out[a.ID] = int64(3 + 2*g.rng.IntN(2))
			}
		}
	}
	return out
}

// cover makes sure the register shows every level of every axis, every segment and every zone
// of the pack, by moving an asset of a kind that may carry it where nothing else does.
func (g *generator) cover(list []asset.Input) {
	usedLevel := map[string]bool{}
	usedSeg, usedZone := map[string]bool{}, map[string]bool{}
	for _, in := range list {
		for axis, l := range in.Class {
			usedLevel[axis+"\x00"+l] = true
		}
		usedSeg[in.Segment], usedZone[in.Zone] = true, true
	}
	pick := func(ok func(asset.Input) bool, i int) int {
		for n := range list {
			j := (i*37 + n) % len(list)
			if ok(list[j]) {
				return j
			}
		}
		return -1
	}
	for _, axis := range g.p.Classification.Axes {
		for i, l := range axis.Levels {
			if usedLevel[axis.ID+"\x00"+l.ID] {
				continue
			}
			if j := pick(func(in asset.Input) bool { return in.Kind == "document" || in.Kind == "information" }, i); j >= 0 {
				list[j].Class[axis.ID] = l.ID
			}
		}
	}
	for i, s := range g.p.Segments {
		if usedSeg[s.ID] {
			continue
		}
		if j := pick(func(in asset.Input) bool { return in.Kind == "terminal" && in.Segment != "" }, i); j >= 0 {
			list[j].Segment = s.ID
		}
	}
	for i, z := range g.zones {
		if usedZone[z.ID] {
			continue
		}
		if j := pick(func(in asset.Input) bool { return in.Kind == "media" || in.Kind == "document" }, i); j >= 0 {
			list[j].Zone = z.ID
		}
	}
}

// registerOf is the demo register of the departments.
func registerOf(p *policy.Compiled, units []unit, today time.Time) []asset.Input {
	g := newGenerator(p, today)
	var out []asset.Input
	for _, u := range units {
		for _, it := range catalog(u) {
			for range max(it.n, 1) {
				out = append(out, g.input(u, it))
			}
		}
	}
	if len(out) > 0 {
		g.cover(out)
	}
	return out
}

// units describes the builder's departments for the register, each with its head.
func (b *builder) units() []unit {
	heads := map[string]int64{}
	for _, m := range b.members {
		if m.head && heads[m.dept] == 0 {
			heads[m.dept] = m.id
		}
	}
	for _, m := range b.members {
		// A department without a head of its own (the office of the 町長): its first member.
		if b.noHead[m.dept] && heads[m.dept] == 0 {
			heads[m.dept] = m.id
		}
	}
	var out []unit
	it := false
	for i, name := range b.order {
		u := unit{id: b.depts[name], code: itoa(1000 + (i+1)*10), name: name, kind: b.kinds[name], head: heads[name]}
		if b.noHead[name] {
			u.kind = "division" // the office of the 町長: little of its own
		}
		if isIT(name) && !it && u.kind != "division" {
			u.it, it = true, true
		}
		out = append(out, u)
	}
	if !it {
		// No department runs the network by its name: the first 課 (総務課) does.
		for i := range out {
			if out[i].kind == "section" || out[i].kind == "board" {
				out[i].it = true
				break
			}
		}
	}
	return out
}

// register enters the demo register through the asset service, in one transaction, so that
// each asset is checked against the pack and audited like one a user enters.
func (b *builder) register(p *policy.Compiled) error {
	today := time.Now()
	if b.s.Assets.Now != nil {
		today = b.s.Assets.Now()
	}
	list := registerOf(p, b.units(), today)
	n, err := b.s.Assets.CreateMany(b.ctx, b.sys, func(yield func(asset.Input, error) bool) {
		for _, in := range list {
			if !yield(in, nil) {
				return
			}
		}
	})
	if err != nil && n < len(list) {
		return fmt.Errorf("demo asset %s %s: %w", list[n].Number, list[n].Name, err)
	}
	return err
}

// scaleAreas and scaleSections name the departments FillRegister adds: 北部総合支所 税務課 …
var (
	scaleAreas    = []string{"本庁", "北部総合支所", "南部総合支所", "東部総合支所", "西部総合支所", "中央出張所", "沿岸出張所", "山間出張所", "第一庁舎", "第二庁舎"}
	scaleSections = []string{"総務課", "住民課", "税務課", "福祉課", "建設課", "会計課", "財政課", "人事課", "情報政策課", "保健センター"}
)

// batchInsert writes assets and their levels with one multi-row statement each, prepared once
// per shape in the transaction.
type batchInsert struct {
	tx    *sql.Tx
	orgID int64
	ranks map[string]map[string]int // axis → level → rank
	now   time.Time
	stmts map[string]*sql.Stmt
}

func (b *batchInsert) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// stmt is "head VALUES (…), (…) tail" with rows tuples of cols numbered parameters.
func (b *batchInsert) stmt(ctx context.Context, head string, cols, rows int, tail string) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d", head, rows)
	if st, ok := b.stmts[key]; ok {
		return st, nil
	}
	var q strings.Builder
	q.WriteString(head + " VALUES ")
	for i := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(")
		for c := range cols {
			if c > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "$%d", i*cols+c+1)
		}
		q.WriteString(")")
	}
	q.WriteString(tail)
	st, err := b.tx.PrepareContext(ctx, q.String())
	if err != nil {
		return nil, err
	}
	b.stmts[key] = st
	return st, nil
}

func (b *batchInsert) write(ctx context.Context, ins []asset.Input) error {
	const cols = 20
	st, err := b.stmt(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, manager_staff_id, segment, zone, top_rank,
		attrs_json, location, system_ref, quantity, copies, state, acquired_on, disposed_on, note, created_at, updated_at)`,
		cols, len(ins), " RETURNING id, number")
	if err != nil {
		return fmt.Errorf("insert assets: %w", err)
	}
	args := make([]any, 0, len(ins)*cols)
	for _, in := range ins {
		top := 0
		for axis, l := range in.Class {
			top = max(top, b.ranks[axis][l])
		}
		attrs, _ := json.Marshal(in.Attrs)
		var manager any
		if in.ManagerStaffID != 0 {
			manager = in.ManagerStaffID
		}
		args = append(args, b.orgID, in.Number, in.Name, in.Kind, in.DepartmentID, manager, in.Segment, in.Zone, top, string(attrs),
			in.Location, in.SystemRef, in.Quantity, in.Copies, in.State, in.AcquiredOn, in.DisposedOn, in.Note, b.now, b.now)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("insert assets: %w", err)
	}
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var number string
		if err := rows.Scan(&id, &number); err != nil {
			rows.Close()
			return err
		}
		ids[number] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	args = args[:0]
	for _, in := range ins {
		axes := make([]string, 0, len(in.Class))
		for axis := range in.Class {
			axes = append(axes, axis)
		}
		slices.Sort(axes)
		for _, axis := range axes {
			args = append(args, ids[in.Number], b.orgID, axis, in.Class[axis], b.ranks[axis][in.Class[axis]])
		}
	}
	if len(args) == 0 {
		return nil
	}
	st, err = b.stmt(ctx, `INSERT INTO asset_levels (asset_id, org_id, axis, level, rank)`, 5, len(args)/5, "")
	if err != nil {
		return fmt.Errorf("insert asset levels: %w", err)
	}
	if _, err := st.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("insert asset levels: %w", err)
	}
	return nil
}
