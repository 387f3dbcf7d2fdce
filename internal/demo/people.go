package demo

// person is an invented name with its reading and a login made from it.
type person struct{ name, kana, login string }

var names = []person{
	{"山本 和夫", "ヤマモト カズオ", "yamamoto"}, {"田中 恵子", "タナカ ケイコ", "tanaka"}, {"鈴木 大輔", "スズキ ダイスケ", "suzuki"},
	{"高橋 美咲", "タカハシ ミサキ", "takahashi"}, {"伊藤 誠", "イトウ マコト", "ito"}, {"渡辺 直樹", "ワタナベ ナオキ", "watanabe"},
	{"佐藤 花子", "サトウ ハナコ", "sato"}, {"小林 翔", "コバヤシ ショウ", "kobayashi"}, {"中村 由美", "ナカムラ ユミ", "nakamura"},
	{"加藤 健一", "カトウ ケンイチ", "kato"}, {"吉田 さくら", "ヨシダ サクラ", "yoshida"}, {"山田 隆", "ヤマダ タカシ", "yamada"},
	{"松本 洋子", "マツモト ヨウコ", "matsumoto"}, {"井上 浩二", "イノウエ コウジ", "inoue"}, {"木村 春香", "キムラ ハルカ", "kimura"},
	{"林 大樹", "ハヤシ ダイキ", "hayashi"}, {"斎藤 真理", "サイトウ マリ", "saito"}, {"清水 亮", "シミズ リョウ", "shimizu"},
	{"山口 智子", "ヤマグチ トモコ", "yamaguchi"}, {"森 健太", "モリ ケンタ", "mori"}, {"池田 明美", "イケダ アケミ", "ikeda"},
	{"橋本 拓也", "ハシモト タクヤ", "hashimoto"}, {"阿部 由紀", "アベ ユキ", "abe"}, {"石川 悟", "イシカワ サトル", "ishikawa"},
	{"山崎 恵", "ヤマザキ メグミ", "yamazaki"}, {"中島 剛", "ナカジマ ツヨシ", "nakajima"}, {"前田 彩", "マエダ アヤ", "maeda"},
	{"藤田 修", "フジタ オサム", "fujita"}, {"小川 愛", "オガワ アイ", "ogawa"}, {"後藤 雄一", "ゴトウ ユウイチ", "goto"},
	{"岡田 里美", "オカダ サトミ", "okada"}, {"長谷川 正", "ハセガワ タダシ", "hasegawa"}, {"村上 千尋", "ムラカミ チヒロ", "murakami"},
	{"近藤 勝", "コンドウ マサル", "kondo"}, {"石井 綾香", "イシイ アヤカ", "ishii"}, {"坂本 学", "サカモト マナブ", "sakamoto"},
	{"遠藤 陽子", "エンドウ ヨウコ", "endo"}, {"青木 誠司", "アオキ セイジ", "aoki"}, {"藤井 楓", "フジイ カエデ", "fujii"},
	{"西村 浩", "ニシムラ ヒロシ", "nishimura"}, {"福田 結衣", "フクダ ユイ", "fukuda"}, {"太田 昇", "オオタ ノボル", "ota"},
}

type pool struct{ i int }

func newPool() *pool { return &pool{} }

// next returns the next invented person; after the list runs out, names repeat with a number
// so that logins stay unique.
func (p *pool) next() person {
	n := names[p.i%len(names)]
	if round := p.i / len(names); round > 0 {
		n.name += itoa(round + 1)
		n.login += itoa(round + 1)
	}
	p.i++
	return n
}
