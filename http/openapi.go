package http

import (
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// openAPI builds the OpenAPI 3.1 description of every /api/v1 route from the
// route table, so the document cannot drift from what is served.
func (s *Server) openAPI() map[string]any {
	b := &schemaBuilder{defs: map[string]any{}}
	b.defs["Error"] = b.object(reflect.TypeFor[errorBody]())
	paths := map[string]map[string]any{}
	for _, rt := range s.routes() {
		p := paths[rt.Pattern]
		if p == nil {
			p = map[string]any{}
			paths[rt.Pattern] = p
		}
		p[strings.ToLower(rt.Method)] = b.operation(rt)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "bayu API — “巴渝工匠”展品征集工作流",
			"version":     "1",
			"description": "The JSON API of bayu. Errors are {\"error\": {\"code\", \"message\", \"fields\"}}.",
		},
		"servers": []any{map[string]any{"url": "/api/v1"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": b.defs,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
	}
}

var pathParam = regexp.MustCompile(`\{([a-zA-Z_]+)\}`)

func (b *schemaBuilder) operation(rt route) map[string]any {
	op := map[string]any{
		"summary":     rt.Summary,
		"operationId": operationID(rt),
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
		schema := map[string]any{"type": "string"}
		if m[1] == "id" {
			schema = map[string]any{"type": "integer", "minimum": 1}
		}
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": schema})
	}
	for _, q := range rt.Query {
		params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.Consumes != "" {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			rt.Consumes: map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}}
	}
	if rt.Request != nil {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": b.ref(reflect.TypeOf(rt.Request))}}}
	}
	ok := map[string]any{"description": "OK"}
	switch {
	case rt.Response != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": b.ref(reflect.TypeOf(rt.Response))}}
	case rt.Produces != "":
		ok["content"] = map[string]any{rt.Produces: map[string]any{"schema": map[string]any{"type": "string"}}}
	}
	status := "200"
	if rt.Status != 0 {
		status = strconv.Itoa(rt.Status)
	}
	errRef := map[string]any{"description": "error", "content": map[string]any{
		"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	op["responses"] = map[string]any{status: ok, "default": errRef}
	if !rt.Access.public {
		op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
		if rt.Access.roles != nil {
			roles := make([]string, len(rt.Access.roles))
			for i, r := range rt.Access.roles {
				roles[i] = string(r)
			}
			sort.Strings(roles)
			op["x-roles"] = roles
		}
	}
	return op
}

func operationID(rt route) string {
	clean := strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(rt.Pattern)
	return strings.ToLower(rt.Method) + clean
}

// openAPIRoute serves the document; it is built once, the routes never change.
func (s *Server) openAPIRoute() route {
	var once sync.Once
	var doc map[string]any
	return route{Method: "GET", Pattern: "/openapi.json", Summary: "This API's OpenAPI 3.1 description", Access: public,
		Response: map[string]any{},
		Handler: func(w http.ResponseWriter, _ *http.Request) error {
			once.Do(func() { doc = s.openAPI() })
			writeJSON(w, http.StatusOK, doc)
			return nil
		}}
}
