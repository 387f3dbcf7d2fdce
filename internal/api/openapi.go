package api

import (
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

type obj = map[string]any

// document is the OpenAPI 3.1 description of the API.
func document() obj {
	gen := schemaGen{names: map[reflect.Type]string{}}
	for _, c := range components {
		gen.names[reflect.TypeOf(c.value)] = c.name
	}
	schemas := obj{}
	for _, c := range components {
		s := gen.object(reflect.TypeOf(c.value))
		if c.input {
			s["additionalProperties"] = false
			delete(s, "required")
			if len(c.required) > 0 {
				s["required"] = c.required
			}
		}
		schemas[c.name] = s
	}
	paths := obj{}
	for key, op := range operations {
		method, path, _ := strings.Cut(key, " ")
		if paths[path] == nil {
			paths[path] = obj{}
		}
		paths[path].(obj)[strings.ToLower(method)] = op.render(path)
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":   "Mamori API",
			"version": "1",
			"description": "Mamori (守り) puts a municipality's information-security policy into practice. " +
				"Every request but this document needs an API token: Authorization: Bearer mmr_…. " +
				"Errors are {\"error\": {...}} with a message in the token holder's language. " +
				"Times are ISO 8601 in UTC.",
		},
		"paths":    paths,
		"security": []obj{{"bearerAuth": []string{}}},
		"components": obj{
			"schemas": schemas,
			"responses": obj{
				"Error": obj{"description": "An error", "content": jsonContent(ref("Error"))},
			},
			"securitySchemes": obj{
				"bearerAuth": obj{"type": "http", "scheme": "bearer", "description": "An API token, mmr_…"},
			},
		},
	}
}

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

func (op operation) render(path string) obj {
	var params []obj
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		params = append(params, obj{"name": m[1], "in": "path", "required": true,
			"schema": obj{"type": "integer", "format": "int64", "minimum": 1}})
		if m[1] == "logbook" || m[1] == "contact" { // a pack's logbook or contact id
			params[len(params)-1]["schema"] = obj{"type": "string"}
		}
	}
	query := op.query
	if op.list {
		query = append(slices.Clone(query),
			param{"limit", "integer", "Items per page: default 50, at most 500"},
			param{"offset", "integer", "Items to skip"})
	}
	for _, q := range query {
		params = append(params, obj{"name": q.name, "in": "query", "description": q.desc, "schema": obj{"type": q.typ}})
	}
	success := obj{"description": http.StatusText(op.status)}
	switch {
	case op.list:
		success["content"] = jsonContent(pageSchema(ref(op.result)))
	case op.result != "":
		success["content"] = jsonContent(ref(op.result))
	case op.status != http.StatusNoContent:
		success["content"] = jsonContent(obj{"type": "object"})
	}
	responses := obj{strconv.Itoa(op.status): success, "default": obj{"$ref": "#/components/responses/Error"}}
	o := obj{"operationId": op.id, "summary": op.summary, "responses": responses}
	if op.desc != "" {
		o["description"] = op.desc
	}
	if len(params) > 0 {
		o["parameters"] = params
	}
	if op.body != "" {
		o["requestBody"] = obj{"required": true, "content": jsonContent(ref(op.body))}
		responses["422"] = obj{"$ref": "#/components/responses/Error"}
	}
	if len(op.upload) > 0 {
		o["requestBody"] = uploadBody(op.upload)
		responses["422"] = obj{"description": "Bad rows (the result) or a bad request (an Error)",
			"content": jsonContent(obj{"oneOf": []obj{ref(op.result), ref("Error")}})}
	}
	for _, st := range op.also {
		responses[strconv.Itoa(st)] = obj{"description": http.StatusText(st), "content": jsonContent(ref(op.result))}
	}
	if op.public {
		o["security"] = []obj{}
	} else {
		responses["401"] = obj{"$ref": "#/components/responses/Error"}
	}
	return o
}

// uploadBody describes a multipart/form-data body; a param of type file is the file itself.
func uploadBody(fields []param) obj {
	props := obj{}
	var required []string
	for _, f := range fields {
		s := obj{"type": f.typ, "description": f.desc}
		if f.typ == "file" {
			s = obj{"type": "string", "format": "binary", "description": f.desc}
			required = append(required, f.name)
		}
		props[f.name] = s
	}
	schema := obj{"type": "object", "properties": props, "required": required}
	return obj{"required": true, "content": obj{"multipart/form-data": obj{"schema": schema}}}
}

func pageSchema(item obj) obj {
	return obj{
		"type":     "object",
		"required": []string{"items", "total", "next"},
		"properties": obj{
			"items": obj{"type": "array", "items": item},
			"total": obj{"type": "integer", "description": "Items matching over all pages"},
			"next":  obj{"type": []string{"string", "null"}, "format": "uri-reference", "description": "The next page, null on the last"},
		},
	}
}

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func jsonContent(schema obj) obj { return obj{"application/json": obj{"schema": schema}} }
