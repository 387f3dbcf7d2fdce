package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/assetio"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// importFile posts a file to the import as a multipart form with the given fields.
func (f *assetFixture) importFile(token, query, filename string, data []byte, fields map[string]string) *httptest.ResponseRecorder {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/assets/import"+query, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

// registerSheet is 総務課's register: the name column's header 呼称 is not recognised (mapping
// names it), and row 3 has a level the pack lacks.
func registerSheet(bad bool) []byte {
	level := "B"
	if bad {
		level = "Z"
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll([][]string{
		{"管理番号", "呼称", "種別", "担当課", "重要度", "区画"},
		{"PC-101", "業務用端末 1", "端末", "総務課", "A", "L2"},
		{"PC-102", "業務用端末 2", "端末", "総務課", level, "L2"},
	})
	return b.Bytes()
}

const nameMapping = `{"呼称": "name"}`

func (f *assetFixture) registered() int {
	f.t.Helper()
	_, total, err := f.svcs.Assets.List(context.Background(), access.System(f.orgID, "test"), asset.Filter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return total
}

func TestAssetImportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)

		t.Run("a dry run reports and changes nothing", func(t *testing.T) {
			rep := decodeAs[assetio.Report](t, f.importFile(f.manager, "?dry_run=true", "台帳.csv", registerSheet(true), map[string]string{"mapping": nameMapping}), http.StatusOK)
			if rep.Rows != 2 || rep.Valid != 1 || rep.Applied || len(rep.Errors) != 1 || rep.Errors[0].Row != 3 ||
				rep.Errors[0].Column != "重要度" || rep.Errors[0].Message == "" || rep.Errors[0].MessageEn == "" || rep.Mapping["呼称"] != "name" {
				t.Fatalf("report = %+v", rep)
			}
			if n := f.registered(); n != 0 {
				t.Fatalf("a dry run registered %d assets", n)
			}
		})

		t.Run("bad rows refuse the whole file", func(t *testing.T) {
			rep := decodeAs[assetio.Report](t, f.importFile(f.manager, "", "台帳.csv", registerSheet(true), map[string]string{"mapping": nameMapping}), http.StatusUnprocessableEntity)
			if rep.Applied || len(rep.Errors) != 1 || f.registered() != 0 {
				t.Fatalf("report = %+v, %d registered", rep, f.registered())
			}
		})

		t.Run("valid_only registers the valid rows", func(t *testing.T) {
			rep := decodeAs[assetio.Report](t, f.importFile(f.manager, "", "台帳.csv", registerSheet(true),
				map[string]string{"mapping": nameMapping, "valid_only": "1"}), http.StatusCreated)
			if !rep.Applied || rep.Created != 1 || len(rep.Errors) != 1 || f.registered() != 1 {
				t.Fatalf("report = %+v, %d registered", rep, f.registered())
			}
		})

		t.Run("a good file is registered", func(t *testing.T) {
			sheet := strings.NewReplacer("PC-101", "PC-201", "PC-102", "PC-202").Replace(string(registerSheet(false)))
			rep := decodeAs[assetio.Report](t, f.importFile(f.manager, "", "台帳.csv", []byte(sheet), map[string]string{"mapping": nameMapping}), http.StatusCreated)
			if !rep.Applied || rep.Created != 2 || f.registered() != 3 {
				t.Fatalf("report = %+v, %d registered", rep, f.registered())
			}
		})

		t.Run("the mapping of an applied import is remembered", func(t *testing.T) {
			rep := decodeAs[assetio.Report](t, f.importFile(f.manager, "?dry_run=1", "台帳.csv", registerSheet(false), nil), http.StatusOK)
			if rep.Mapping["呼称"] != "name" {
				t.Fatalf("mapping = %v", rep.Mapping)
			}
		})

		t.Run("bad files are named and change nothing", func(t *testing.T) {
			for _, c := range []struct {
				name, file string
				data       []byte
				status     int
				field, ja  string
			}{
				{"empty", "台帳.csv", nil, http.StatusUnprocessableEntity, "", "ファイルが空です"},
				{"not a zip", "台帳.xlsx", registerSheet(false), http.StatusUnprocessableEntity, "", "Excel ブック（.xlsx）として読み込めません"},
				{"a PDF", "台帳.pdf", []byte("%PDF-1.7\n"), http.StatusUnprocessableEntity, "", "PDF のファイルは取り込めません"},
				{"no file", "", nil, http.StatusUnprocessableEntity, "file", "取り込むファイルを選んでください"},
				{"columns missing", "台帳.csv", []byte(strings.Replace(string(registerSheet(false)), "呼称", "謎の列", 1)), http.StatusUnprocessableEntity, "name", "必要な列が見つかりません"},
			} {
				t.Run(c.name, func(t *testing.T) {
					e := apiError(t, f.importFile(f.manager, "", c.file, c.data, nil), c.status, "invalid")
					if !strings.Contains(e.Message, c.ja) || e.Field != c.field {
						t.Fatalf("error = %+v", e)
					}
				})
			}
			if f.registered() != 3 {
				t.Fatalf("%d registered", f.registered())
			}
		})

		t.Run("an English token holder reads English", func(t *testing.T) {
			en := f.tokenFor("english", "en", true)
			e := apiError(t, f.importFile(en, "", "scan.png", []byte("\x89PNG\r\n\x1a\n"), nil), http.StatusUnprocessableEntity, "invalid")
			if !strings.Contains(e.Message, "A PNG file cannot be imported") {
				t.Fatalf("error = %+v", e)
			}
		})

		t.Run("who may change no department is refused", func(t *testing.T) {
			apiError(t, f.importFile(f.auditor, "?dry_run=1", "台帳.csv", registerSheet(false), nil), http.StatusForbidden, "forbidden")
			apiError(t, f.importFile(f.clerk, "", "台帳.csv", registerSheet(false), nil), http.StatusForbidden, "forbidden")
		})

		t.Run("requests that are not multipart or have bad switches", func(t *testing.T) {
			apiError(t, f.do("POST", "/api/v1/assets/import", f.manager, map[string]string{"file": "x"}), http.StatusUnsupportedMediaType, "unsupported_media_type")
			e := apiError(t, f.importFile(f.manager, "?dry_run=perhaps", "台帳.csv", registerSheet(false), nil), http.StatusUnprocessableEntity, "invalid")
			if e.Field != "dry_run" {
				t.Fatalf("error = %+v", e)
			}
			e = apiError(t, f.importFile(f.manager, "", "台帳.csv", registerSheet(false), map[string]string{"mapping": "{"}), http.StatusUnprocessableEntity, "invalid")
			if e.Field != "mapping" {
				t.Fatalf("error = %+v", e)
			}
		})
	})
}

func TestOpenAPIDescribesTheImport(t *testing.T) {
	op := served(t)["paths"].(map[string]any)["/api/v1/assets/import"].(map[string]any)["post"].(map[string]any)
	form, ok := op["requestBody"].(map[string]any)["content"].(map[string]any)["multipart/form-data"].(map[string]any)
	if !ok {
		t.Fatalf("no multipart body: %v", op["requestBody"])
	}
	props := form["schema"].(map[string]any)["properties"].(map[string]any)
	if props["file"].(map[string]any)["format"] != "binary" || props["mapping"] == nil || props["valid_only"] == nil {
		t.Fatalf("form = %v", props)
	}
	responses := op["responses"].(map[string]any)
	for _, status := range []string{"200", "201", "422"} {
		if responses[status] == nil {
			t.Errorf("no %s answer", status)
		}
	}
}

func TestAssetImportAPIUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAssetFixture(t, db)
		mapping := map[string]string{"mapping": nameMapping}
		decodeAs[assetio.Report](t, f.importFile(f.manager, "", "台帳.csv", registerSheet(false), mapping), http.StatusCreated)
		// Without update the same rows are numbers taken; with it, nothing changes.
		rep := decodeAs[assetio.Report](t, f.importFile(f.manager, "?dry_run=true", "台帳.csv", registerSheet(false), mapping), http.StatusOK)
		if rep.Valid != 0 || rep.Summary[0].Count != 2 || rep.Summary[0].Kind != "asset.error.number_taken" {
			t.Fatalf("without update: %+v", rep)
		}
		edited := bytes.Replace(registerSheet(false), []byte("業務用端末 2"), []byte("業務用端末 2（予備）"), 1)
		rep = decodeAs[assetio.Report](t, f.importFile(f.manager, "", "台帳.csv", edited,
			map[string]string{"mapping": nameMapping, "update": "true", "values": `{"kind": {"端末": "terminal"}}`}), http.StatusCreated)
		if rep.Updated != 1 || rep.Changed != 1 || rep.Unchanged != 1 || rep.Outcomes[0].Changes[0].New != "業務用端末 2（予備）" {
			t.Fatalf("with update: %+v", rep)
		}
		bad := f.importFile(f.manager, "?dry_run=true&update=true", "台帳.csv", edited, map[string]string{"mapping": nameMapping, "values": `{"kind": {"端末": "tablet"}}`})
		if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body.String(), "values") {
			t.Fatalf("a value mapped to nothing: %d %s", bad.Code, bad.Body)
		}
	})
}
