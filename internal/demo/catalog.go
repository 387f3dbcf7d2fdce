package demo

import (
	"strings"
)

// The catalogue of the demo register: what each kind of department keeps.

// item is an asset a department keeps, before it is numbered, classified and placed.
type item struct {
	kind   string
	name   string
	sens   int    // 2: personal or 個人番号 data; 1: important administrative; 0: light or public
	seg    string // the segment it belongs in: mynumber, lgwan, internet, management; "" for none
	n      int    // how many of it the demo department keeps
	qty    int    // quantity per entry (a box of forms, a set of tablets); 0 means 1
	system string // the information system it belongs to
	where  string // office, counter, lobby, server, safe, cabinet, archive, classroom, cloud
}

// kindPrefix is the middle part of a management number: 1060-PC-003.
var kindPrefix = map[string]string{
	"information": "INF", "system": "SYS", "server": "SV", "terminal": "PC",
	"mobile": "MB", "media": "MD", "network": "NW", "document": "DOC",
}

// common is what every 課, 室 and school keeps.
var common = []item{
	{kind: "terminal", name: "業務用パソコン", sens: 1, seg: "lgwan", n: 5, where: "office"},
	{kind: "terminal", name: "業務用ノートPC", sens: 1, seg: "lgwan", n: 1, where: "cabinet"},
	{kind: "terminal", name: "インターネット接続系端末（仮想ブラウザ）", sens: 0, seg: "internet", n: 1, where: "office"},
	{kind: "mobile", name: "公用スマートフォン", sens: 1, seg: "internet", n: 1, where: "cabinet"},
	{kind: "media", name: "USBメモリ（暗号化）", sens: 1, n: 2, where: "safe"},
	{kind: "media", name: "外付けHDD（バックアップ用）", sens: 1, n: 1, where: "safe"},
	{kind: "media", name: "記録媒体（DVD-R 保存用）", sens: 0, n: 1, where: "cabinet"},
	{kind: "document", name: "申請書類（紙）", sens: 1, n: 2, qty: 1, where: "cabinet"},
	{kind: "document", name: "庶務関係文書（紙）", sens: 0, n: 1, where: "archive"},
	{kind: "information", name: "課内共有フォルダ（ファイルサーバ）", sens: 1, seg: "lgwan", n: 1, system: "ファイルサーバ", where: "server"},
	{kind: "information", name: "会議資料", sens: 0, seg: "lgwan", n: 1, where: "server"},
}

// byDepartment is what a department keeps because of what it does, found by a word in its name.
var byDepartment = []struct {
	words []string
	items []item
}{
	{[]string{"住民", "窓口", "市民", "戸籍"}, []item{
		{kind: "system", name: "住民基本台帳システム", sens: 2, seg: "mynumber", n: 1, where: "cloud"},
		{kind: "system", name: "戸籍情報システム", sens: 2, seg: "mynumber", n: 1, where: "cloud"},
		{kind: "system", name: "コンビニ交付システム", sens: 2, seg: "lgwan", n: 1, where: "cloud"},
		{kind: "information", name: "住民記録データ", sens: 2, seg: "mynumber", n: 1, system: "住民基本台帳システム", where: "cloud"},
		{kind: "terminal", name: "住基端末", sens: 2, seg: "mynumber", n: 3, system: "住民基本台帳システム", where: "counter"},
		{kind: "terminal", name: "窓口端末（証明書発行）", sens: 2, seg: "mynumber", n: 2, system: "住民基本台帳システム", where: "counter"},
		{kind: "terminal", name: "来庁者用 案内端末", sens: 0, seg: "internet", n: 1, where: "lobby"},
		{kind: "document", name: "住民異動届（紙）", sens: 2, n: 2, qty: 12, where: "archive"},
		{kind: "document", name: "個人番号カード交付申請書（紙）", sens: 2, n: 1, qty: 8, where: "safe"},
		{kind: "media", name: "ICカードリーダライタ用 SAMカード", sens: 2, n: 1, where: "safe"},
	}},
	{[]string{"税政", "県税"}, []item{
		{kind: "system", name: "県税システム", sens: 2, seg: "lgwan", n: 1, where: "cloud"},
		{kind: "information", name: "自動車税・個人事業税 課税データ", sens: 2, seg: "lgwan", n: 1, system: "県税システム", where: "cloud"},
		{kind: "terminal", name: "県税端末", sens: 2, seg: "lgwan", n: 3, system: "県税システム", where: "office"},
		{kind: "document", name: "県税申告書（紙）", sens: 2, n: 2, qty: 20, where: "archive"},
		{kind: "media", name: "DVD-R（国税連携データ）", sens: 2, n: 1, where: "safe"},
	}},
	{[]string{"税務", "市民税", "固定資産税"}, []item{
		{kind: "system", name: "税務システム（住民税・固定資産税）", sens: 2, seg: "mynumber", n: 1, where: "cloud"},
		{kind: "system", name: "滞納管理システム", sens: 2, seg: "mynumber", n: 1, where: "cloud"},
		{kind: "information", name: "課税台帳データ", sens: 2, seg: "mynumber", n: 1, system: "税務システム（住民税・固定資産税）", where: "cloud"},
		{kind: "terminal", name: "税務端末", sens: 2, seg: "mynumber", n: 4, system: "税務システム（住民税・固定資産税）", where: "office"},
		{kind: "document", name: "課税台帳（紙）", sens: 2, n: 1, qty: 20, where: "archive"},
		{kind: "document", name: "確定申告書・住民税申告書（紙）", sens: 2, n: 2, qty: 30, where: "archive"},
		{kind: "media", name: "DVD-R（eLTAX連携データ）", sens: 2, n: 2, where: "safe"},
	}},
	{[]string{"福祉", "保健", "介護", "子育て", "健康"}, []item{
		{kind: "system", name: "介護保険システム", sens: 2, seg: "mynumber", n: 1, where: "cloud"},
		{kind: "system", name: "障害者福祉システム", sens: 2, seg: "mynumber", n: 1, where: "cloud"},
		{kind: "system", name: "生活保護システム", sens: 2, seg: "mynumber", n: 1, where: "cloud"},
		{kind: "system", name: "児童手当システム", sens: 2, seg: "mynumber", n: 1, where: "cloud"},
		{kind: "terminal", name: "福祉端末", sens: 2, seg: "mynumber", n: 3, system: "介護保険システム", where: "office"},
		{kind: "document", name: "ケース記録（紙）", sens: 2, n: 2, qty: 15, where: "safe"},
		{kind: "information", name: "要介護認定データ", sens: 2, seg: "mynumber", n: 1, system: "介護保険システム", where: "cloud"},
		{kind: "mobile", name: "タブレット端末（訪問調査用）", sens: 2, seg: "lgwan", n: 2, where: "cabinet"},
	}},
	{[]string{"人事", "職員"}, []item{
		{kind: "system", name: "人事給与システム", sens: 2, seg: "lgwan", n: 1, where: "server"},
		{kind: "information", name: "給与支給データ", sens: 2, seg: "lgwan", n: 1, system: "人事給与システム", where: "server"},
		{kind: "document", name: "職員台帳（紙）", sens: 2, n: 1, qty: 4, where: "safe"},
		{kind: "document", name: "出勤簿（紙）", sens: 1, n: 1, qty: 12, where: "cabinet"},
	}},
	{[]string{"総務"}, []item{
		{kind: "system", name: "文書管理システム", sens: 1, seg: "lgwan", n: 1, where: "server"},
		{kind: "system", name: "例規集データベース", sens: 0, seg: "internet", n: 1, where: "cloud"},
		{kind: "information", name: "議会提出資料", sens: 1, seg: "lgwan", n: 1, system: "文書管理システム", where: "server"},
		{kind: "document", name: "公文書（完結文書）（紙）", sens: 1, n: 2, qty: 40, where: "archive"},
	}},
	{[]string{"財政", "契約", "管財"}, []item{
		{kind: "system", name: "財務会計システム", sens: 1, seg: "lgwan", n: 1, where: "server"},
		{kind: "information", name: "予算編成資料", sens: 1, seg: "lgwan", n: 1, system: "財務会計システム", where: "server"},
		{kind: "document", name: "契約書原本（紙）", sens: 1, n: 1, qty: 25, where: "safe"},
	}},
	{[]string{"会計", "出納"}, []item{
		{kind: "system", name: "公金収納システム", sens: 1, seg: "lgwan", n: 1, where: "server"},
		{kind: "document", name: "支出命令書（紙）", sens: 1, n: 2, qty: 50, where: "archive"},
		{kind: "media", name: "指定金融機関連携用 USBメモリ（暗号化）", sens: 2, n: 1, where: "safe"},
	}},
	{[]string{"建設", "土木", "都市", "建築"}, []item{
		{kind: "system", name: "道路台帳システム", sens: 0, seg: "lgwan", n: 1, where: "server"},
		{kind: "system", name: "地理情報システム（GIS）", sens: 0, seg: "lgwan", n: 1, where: "server"},
		{kind: "document", name: "工事設計図書（紙）", sens: 1, n: 2, qty: 10, where: "archive"},
		{kind: "mobile", name: "タブレット端末（現場用）", sens: 0, seg: "internet", n: 2, where: "cabinet"},
		{kind: "media", name: "SDカード（現場写真）", sens: 0, n: 2, where: "cabinet"},
	}},
	{[]string{"企画", "情報", "ＩＴ", "IT", "デジタル", "DX", "ＤＸ"}, []item{
		{kind: "system", name: "グループウェア", sens: 1, seg: "lgwan", n: 1, where: "server"},
		{kind: "system", name: "ホームページ管理システム（CMS）", sens: 0, seg: "internet", n: 1, where: "cloud"},
		{kind: "information", name: "ホームページ公開情報", sens: 0, seg: "internet", n: 1, system: "ホームページ管理システム（CMS）", where: "cloud"},
		{kind: "document", name: "広報誌原稿（紙）", sens: 0, n: 1, where: "cabinet"},
	}},
	{[]string{"教育委員会", "教育総務"}, []item{
		{kind: "system", name: "学齢簿システム", sens: 2, seg: "lgwan", n: 1, where: "cloud"},
		{kind: "system", name: "就学援助システム", sens: 2, seg: "lgwan", n: 1, where: "cloud"},
		{kind: "document", name: "教職員人事記録（紙）", sens: 2, n: 1, qty: 3, where: "safe"},
		{kind: "information", name: "学齢簿データ", sens: 2, seg: "lgwan", n: 1, system: "学齢簿システム", where: "cloud"},
	}},
	{[]string{"学校教育"}, []item{
		{kind: "system", name: "校務支援システム", sens: 2, seg: "lgwan", n: 1, where: "cloud"},
		{kind: "system", name: "学習用クラウドサービス", sens: 0, seg: "internet", n: 1, where: "cloud"},
		{kind: "document", name: "就学事務書類（紙）", sens: 2, n: 1, qty: 6, where: "safe"},
	}},
}

// school is what a school keeps besides the common things.
var school = []item{
	{kind: "terminal", name: "校務用パソコン", sens: 2, seg: "lgwan", n: 6, system: "校務支援システム", where: "office"},
	{kind: "mobile", name: "学習者用タブレット（40台保管庫）", sens: 0, seg: "internet", n: 6, qty: 40, where: "classroom"},
	{kind: "terminal", name: "指導者用パソコン", sens: 1, seg: "internet", n: 3, where: "classroom"},
	{kind: "information", name: "成績データ", sens: 2, seg: "lgwan", n: 1, system: "校務支援システム", where: "cloud"},
	{kind: "information", name: "児童生徒名簿データ", sens: 2, seg: "lgwan", n: 1, system: "校務支援システム", where: "cloud"},
	{kind: "information", name: "学校ホームページ掲載情報", sens: 0, seg: "internet", n: 1, where: "cloud"},
	{kind: "document", name: "指導要録（紙）", sens: 2, n: 2, qty: 6, where: "safe"},
	{kind: "document", name: "保健調査票（紙）", sens: 2, n: 1, qty: 6, where: "safe"},
	{kind: "document", name: "通知表控え（紙）", sens: 2, n: 1, qty: 6, where: "cabinet"},
	{kind: "media", name: "SDカード（行事撮影用）", sens: 1, n: 2, where: "cabinet"},
	{kind: "network", name: "校内無線LANアクセスポイント", sens: 0, seg: "internet", n: 4, where: "classroom"},
	{kind: "network", name: "校内LANスイッチ", sens: 1, seg: "lgwan", n: 1, where: "server"},
	{kind: "server", name: "校内ファイルサーバ", sens: 2, seg: "lgwan", n: 1, where: "server"},
	{kind: "system", name: "図書管理システム", sens: 0, seg: "lgwan", n: 1, where: "server"},
}

// infrastructure is what the department that runs the network keeps.
var infrastructure = []item{
	{kind: "server", name: "ファイルサーバ", sens: 1, seg: "lgwan", n: 2, where: "server"},
	{kind: "server", name: "認証サーバ（Active Directory）", sens: 1, seg: "lgwan", n: 2, where: "server"},
	{kind: "server", name: "バックアップサーバ", sens: 2, seg: "lgwan", n: 1, where: "server"},
	{kind: "server", name: "仮想化基盤ホストサーバ", sens: 2, seg: "lgwan", n: 3, where: "server"},
	{kind: "server", name: "中間サーバー連携サーバ", sens: 2, seg: "mynumber", n: 1, where: "server"},
	{kind: "server", name: "Webサーバ（ホームページ）", sens: 0, seg: "internet", n: 1, where: "server"},
	{kind: "server", name: "メール中継サーバ", sens: 1, seg: "internet", n: 1, where: "server"},
	{kind: "server", name: "ログ管理サーバ", sens: 1, seg: "management", n: 1, where: "server"},
	{kind: "network", name: "ファイアウォール（インターネット境界）", sens: 1, seg: "internet", n: 2, where: "server"},
	{kind: "network", name: "UTM（LGWAN接続系）", sens: 1, seg: "lgwan", n: 1, where: "server"},
	{kind: "network", name: "L3スイッチ（基幹）", sens: 1, seg: "lgwan", n: 2, where: "server"},
	{kind: "network", name: "L2スイッチ（各階）", sens: 0, seg: "lgwan", n: 4, where: "office"},
	{kind: "network", name: "LGWAN接続ルータ", sens: 1, seg: "lgwan", n: 1, where: "server"},
	{kind: "network", name: "無線LANアクセスポイント（会議室）", sens: 0, seg: "internet", n: 3, where: "office"},
	{kind: "terminal", name: "運用管理端末", sens: 2, seg: "management", n: 2, where: "server"},
	{kind: "system", name: "庁内LAN（基幹ネットワーク）", sens: 1, seg: "lgwan", n: 1, where: "server"},
	{kind: "system", name: "仮想ブラウザシステム", sens: 1, seg: "internet", n: 1, where: "server"},
	{kind: "system", name: "統合宛名システム", sens: 2, seg: "mynumber", n: 1, where: "server"},
	{kind: "information", name: "ネットワーク構成図", sens: 2, seg: "management", n: 1, where: "server"},
	{kind: "document", name: "管理者パスワード封緘台帳（紙）", sens: 2, n: 1, where: "safe"},
	{kind: "media", name: "LTOテープ（バックアップ世代管理）", sens: 2, n: 4, system: "バックアップサーバ", where: "safe"},
}

// division is what a 部 keeps: little of its own.
var division = []item{
	{kind: "terminal", name: "業務用パソコン（部長席）", sens: 1, seg: "lgwan", n: 1, where: "office"},
	{kind: "document", name: "部内会議資料（紙）", sens: 0, n: 1, where: "cabinet"},
	{kind: "information", name: "部内調整資料", sens: 1, seg: "lgwan", n: 1, where: "server"},
}

// catalog returns what a department keeps.
func catalog(u unit) []item {
	var out []item
	switch u.kind {
	case "division":
		return append(out, division...)
	case "school":
		out = append(out, common...)
		return append(out, school...)
	}
	out = append(out, common...)
	for _, d := range byDepartment {
		for _, w := range d.words {
			if strings.Contains(u.name, w) {
				out = append(out, d.items...)
				break
			}
		}
	}
	if u.it {
		out = append(out, infrastructure...)
	}
	if u.kind == "unit" {
		// A 係 keeps a smaller share: its terminals and media sit with its 課.
		for i := range out {
			out[i].n = (out[i].n + 1) / 2
		}
	}
	return out
}

// isIT tells the department that runs the network from its name.
func isIT(name string) bool {
	for _, w := range []string{"情報", "ＩＴ", "IT", "デジタル", "ＤＸ", "DX"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}
