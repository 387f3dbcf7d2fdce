package demo

// person is an invented name with its reading and a login made from it.
type person struct{ name, kana, login string }

// surnames and givens are the invented people's names, with their readings and the romanised
// surname their login is made from.
var surnames = []struct{ name, kana, login string }{
	{"山本", "ヤマモト", "yamamoto"}, {"田中", "タナカ", "tanaka"}, {"鈴木", "スズキ", "suzuki"}, {"高橋", "タカハシ", "takahashi"},
	{"伊藤", "イトウ", "ito"}, {"渡辺", "ワタナベ", "watanabe"}, {"佐藤", "サトウ", "sato"}, {"小林", "コバヤシ", "kobayashi"},
	{"中村", "ナカムラ", "nakamura"}, {"加藤", "カトウ", "kato"}, {"吉田", "ヨシダ", "yoshida"}, {"山田", "ヤマダ", "yamada"},
	{"松本", "マツモト", "matsumoto"}, {"井上", "イノウエ", "inoue"}, {"木村", "キムラ", "kimura"}, {"林", "ハヤシ", "hayashi"},
	{"斎藤", "サイトウ", "saito"}, {"清水", "シミズ", "shimizu"}, {"山口", "ヤマグチ", "yamaguchi"}, {"森", "モリ", "mori"},
	{"池田", "イケダ", "ikeda"}, {"橋本", "ハシモト", "hashimoto"}, {"阿部", "アベ", "abe"}, {"石川", "イシカワ", "ishikawa"},
	{"山崎", "ヤマザキ", "yamazaki"}, {"中島", "ナカジマ", "nakajima"}, {"前田", "マエダ", "maeda"}, {"藤田", "フジタ", "fujita"},
	{"小川", "オガワ", "ogawa"}, {"後藤", "ゴトウ", "goto"}, {"岡田", "オカダ", "okada"}, {"長谷川", "ハセガワ", "hasegawa"},
	{"村上", "ムラカミ", "murakami"}, {"近藤", "コンドウ", "kondo"}, {"石井", "イシイ", "ishii"}, {"坂本", "サカモト", "sakamoto"},
	{"遠藤", "エンドウ", "endo"}, {"青木", "アオキ", "aoki"}, {"藤井", "フジイ", "fujii"}, {"西村", "ニシムラ", "nishimura"},
	{"福田", "フクダ", "fukuda"}, {"太田", "オオタ", "ota"}, {"三浦", "ミウラ", "miura"},
}

var givens = []struct{ name, kana string }{
	{"和夫", "カズオ"}, {"恵子", "ケイコ"}, {"大輔", "ダイスケ"}, {"美咲", "ミサキ"}, {"誠", "マコト"},
	{"直樹", "ナオキ"}, {"花子", "ハナコ"}, {"翔", "ショウ"}, {"由美", "ユミ"}, {"健一", "ケンイチ"},
	{"さくら", "サクラ"}, {"隆", "タカシ"}, {"洋子", "ヨウコ"}, {"浩二", "コウジ"}, {"春香", "ハルカ"},
	{"大樹", "ダイキ"}, {"真理", "マリ"}, {"亮", "リョウ"}, {"智子", "トモコ"}, {"健太", "ケンタ"},
	{"明美", "アケミ"}, {"拓也", "タクヤ"}, {"由紀", "ユキ"}, {"悟", "サトル"}, {"恵", "メグミ"},
	{"剛", "ツヨシ"}, {"彩", "アヤ"}, {"修", "オサム"}, {"愛", "アイ"}, {"雄一", "ユウイチ"},
	{"里美", "サトミ"}, {"正", "タダシ"}, {"千尋", "チヒロ"}, {"勝", "マサル"}, {"綾香", "アヤカ"},
	{"学", "マナブ"}, {"陽子", "ヨウコ"}, {"誠司", "セイジ"}, {"楓", "カエデ"}, {"浩", "ヒロシ"},
	{"結衣", "ユイ"}, {"昇", "ノボル"}, {"久美子", "クミコ"}, {"秀樹", "ヒデキ"}, {"奈緒", "ナオ"},
	{"哲也", "テツヤ"}, {"麻衣", "マイ"}, {"康弘", "ヤスヒロ"}, {"友美", "トモミ"}, {"俊介", "シュンスケ"},
}

// pool hands out the invented people of one organisation. Each pack's pool starts at its own
// offset in both lists, so that no two packs' demos share a person's full name; within one
// organisation every login is unique (a repeated surname gets a number).
type pool struct {
	i, offset int
	logins    map[string]int
}

func newPool(offset int) *pool { return &pool{offset: offset, logins: map[string]int{}} }

// next returns the next invented person.
func (p *pool) next() person {
	s := surnames[(p.i+9*p.offset)%len(surnames)]
	g := givens[(7*p.i+11*p.offset)%len(givens)]
	p.i++
	login := s.login
	if n := p.logins[s.login]; n > 0 {
		login += itoa(n + 1)
	}
	p.logins[s.login]++
	return person{name: s.name + " " + g.name, kana: s.kana + " " + g.kana, login: login}
}
