package http_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/go-chi/chi/v5"

	bayuhttp "bayu/http"
)

var (
	specOnce sync.Once
	spec     *openapi3.T
	specErr  error
)

// loadSpec fetches the served document and loads it with kin-openapi.
func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	specOnce.Do(func() {
		rec := httptest.NewRecorder()
		bayuhttp.NewServer(nil, bayuhttp.Options{}).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
		loader := openapi3.NewLoader()
		spec, specErr = loader.LoadFromData(rec.Body.Bytes())
		if specErr == nil {
			specErr = spec.Validate(context.Background())
		}
	})
	if specErr != nil {
		t.Fatalf("openapi.json: %v", specErr)
	}
	return spec
}

func TestOpenAPIDocumentIsValidAndComplete(t *testing.T) {
	doc := loadSpec(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("version %s", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" /api/v1"+path] = true
		}
	}
	routed := map[string]bool{}
	h := bayuhttp.NewServer(nil, bayuhttp.Options{}).Handler().(chi.Routes)
	chi.Walk(h, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, "/api/v1/") {
			routed[method+" "+route] = true
		}
		return nil
	})
	var missing, extra []string
	for r := range routed {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for r := range documented {
		if !routed[r] {
			extra = append(extra, r)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 || len(routed) == 0 {
		t.Fatalf("routed but undocumented: %v; documented but not routed: %v", missing, extra)
	}
}

var (
	routerOnce sync.Once
	router     routers.Router
)

// checkAgainstSpec validates a real response against the document.
func checkAgainstSpec(t testing.TB, req *http.Request, res *http.Response, body []byte) {
	t.Helper()
	doc := loadSpec(t)
	routerOnce.Do(func() {
		withHost := *doc
		withHost.Servers = openapi3.Servers{{URL: "http://bayu.test/api/v1"}}
		var err error
		if router, err = gorillamux.NewRouter(&withHost); err != nil {
			t.Fatal(err)
		}
	})
	probe := req.Clone(context.Background())
	probe.URL.Scheme, probe.URL.Host, probe.Host = "http", "bayu.test", "bayu.test"
	route, params, err := router.FindRoute(probe)
	if err != nil {
		t.Errorf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode,
		Header: res.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true,
			// Files, spreadsheets and diagrams are checked for status and content type only.
			ExcludeResponseBody: !strings.Contains(res.Header.Get("Content-Type"), "json")}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s → %d does not match the OpenAPI document: %v\n%s", req.Method, req.URL.Path, res.StatusCode, err, body)
	}
}

// recordingTB catches what checkAgainstSpec reports, to prove it reports at all.
type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) { r.errors = append(r.errors, format) }

func TestSpecCheckCatchesAMismatch(t *testing.T) {
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	res := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}
	rec := &recordingTB{TB: t}
	checkAgainstSpec(rec, req, res, []byte(`{"name": 5, "role": "king"}`))
	if len(rec.errors) == 0 {
		t.Fatal("a response with wrong types passed the OpenAPI check")
	}
	rec.errors = nil
	checkAgainstSpec(rec, req, res, []byte(`{"name": "coord", "role": "coordinator", "district": ""}`))
	if len(rec.errors) != 0 {
		t.Fatalf("a correct response failed the OpenAPI check: %v", rec.errors)
	}
}
