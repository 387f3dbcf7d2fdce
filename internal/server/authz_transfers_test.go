package server

import "context"

// plantTransfers uploads a 人事異動 list of 守町, left as a draft, whose file name and row name
// people: only the administrators, the organisation-wide security roles and the auditors read it.
func (m *matrix) plantTransfers(ctx context.Context) {
	seen := set(platform, cisoKey, auditor)
	file := m.plant("CNRY-TRANSFER-FILE-Q", "the transfer list's file name", seen)
	name := m.plant("CNRY-TRANSFER-NAME-Q", "the transfer list's row", seen)
	l, err := m.s.Transfers.Upload(ctx, m.sys, file+".csv", []byte("職員番号,氏名,異動区分,新所属,発令日\n9001,"+name+",採用,住民課,2026/4/1\n"))
	m.must(err, "transfer list")
	m.addRecord("transfer", l.ID, "the transfer list", seen)
	m.addParam("transfer", "987654", "an id that names nothing")
}
