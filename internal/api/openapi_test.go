package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// served returns the OpenAPI document as a client gets it: without a token.
func served(t *testing.T) map[string]any {
	t.Helper()
	f := &fixture{t: t, h: New(nil, Options{})}
	rec := f.do("GET", "/api/v1/openapi.json", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d %s", rec.Code, rec.Body)
	}
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	return doc
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := served(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v", doc["openapi"])
	}

	documented := map[string]bool{} // "METHOD path" → open to anyone
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			sec, hasSec := op.(map[string]any)["security"]
			documented[strings.ToUpper(method)+" "+path] = hasSec && len(sec.([]any)) == 0
		}
	}
	for _, rt := range (&api{}).routes() {
		key := rt.method + " " + rt.path
		open, ok := documented[key]
		if !ok {
			t.Errorf("route %s is missing from the OpenAPI document", key)
			continue
		}
		if open != (rt.auth == noAuth) {
			t.Errorf("route %s: the document says open=%v", key, open)
		}
		delete(documented, key)
	}
	for key := range documented {
		t.Errorf("the OpenAPI document lists %s, which is not in the route table", key)
	}
}

func TestOpenAPIDocumentIsComplete(t *testing.T) {
	doc := served(t)
	components := doc["components"].(map[string]any)
	schemas := components["schemas"].(map[string]any)
	if _, ok := components["securitySchemes"].(map[string]any)["bearerAuth"]; !ok {
		t.Error("no bearerAuth security scheme")
	}

	// Every reference resolves.
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(r, "#/"), "/")
				var at any = doc
				for _, p := range parts {
					m, _ := at.(map[string]any)
					at = m[p]
				}
				if at == nil {
					t.Errorf("%s: $ref %s does not resolve", path, r)
				}
			}
			for k, e := range x {
				walk(path+"/"+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path, e)
			}
		}
	}
	walk("", doc)

	// Every operation has a success answer and the error answer; bodies and path ids are declared.
	for path, item := range doc["paths"].(map[string]any) {
		for method, o := range item.(map[string]any) {
			op := o.(map[string]any)
			name := method + " " + path
			responses := op["responses"].(map[string]any)
			if _, ok := responses["default"]; !ok {
				t.Errorf("%s: no error answer", name)
			}
			if len(responses) < 2 {
				t.Errorf("%s: no success answer", name)
			}
			if op["operationId"] == "" || op["summary"] == "" {
				t.Errorf("%s: no operationId or summary", name)
			}
			if strings.Contains(path, "{id}") {
				params, _ := op["parameters"].([]any)
				if !slices.ContainsFunc(params, func(p any) bool { return p.(map[string]any)["in"] == "path" }) {
					t.Errorf("%s: {id} is not declared", name)
				}
			}
			if (method == "post" || method == "put") && !strings.Contains(path, "/{id}/") {
				if _, ok := op["requestBody"]; !ok {
					t.Errorf("%s: no request body", name)
				}
			}
		}
	}

	// Schemas describe their properties.
	for name, want := range map[string][]string{
		"Error":             {"error"},
		"User":              {"id", "login", "display_name", "platform_admin", "locked_at", "created_at"},
		"Department":        {"id", "parent_id", "code", "name", "kind", "depth", "path"},
		"Staff":             {"id", "employee_no", "department_id", "department_name"},
		"AuditVerification": {"ok", "org_id", "entries", "head_hash", "problem"},
		"Me":                {"user_id", "login", "name", "org_id", "department_id", "roles", "platform_admin"},
		"DepartmentUpdate":  {"parent_id", "code", "name", "kind", "sort_order", "active"},
		"CreatedToken":      {"token", "secret"},
	} {
		s, ok := schemas[name].(map[string]any)
		if !ok {
			t.Errorf("no schema %s", name)
			continue
		}
		props := s["properties"].(map[string]any)
		for _, p := range want {
			if _, ok := props[p]; !ok {
				t.Errorf("schema %s has no property %s", name, p)
			}
		}
	}
	if s := schemas["DepartmentUpdate"].(map[string]any); s["additionalProperties"] != false ||
		!slices.Contains(s["required"].([]any), any("active")) {
		t.Errorf("DepartmentUpdate %v", s)
	}
	detail := schemas["Error"].(map[string]any)["properties"].(map[string]any)["error"].(map[string]any)["properties"].(map[string]any)
	for _, p := range []string{"code", "message", "field", "fields"} {
		if _, ok := detail[p]; !ok {
			t.Errorf("error schema has no %s", p)
		}
	}
}
