package http_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	bayuhttp "bayu/http"
	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// The six kinds of caller of the matrix: nobody, each role, and a district user
// of the exhibit's own unit and of another unit.
var callers = []string{"anonymous", "coord", "eval", "audit", "wanzhou", "fuling"}

// scenario is one exhibit state a route is called on; fixture makes a fresh
// exhibit in it (of unit 500101, 万州区) and returns its id.
type scenario struct {
	name  string
	state workflow.State
}

var (
	onMobilized   = scenario{"mobilized", workflow.Mobilized}
	onRecommended = scenario{"district_recommended", workflow.DistrictRecommended}
	noExhibit     = scenario{"-", ""}
)

// matrixRow is what the matrix expects of one route.
type matrixRow struct {
	scenario scenario
	body     func(id int64) string
	want     map[string]int // caller → status
}

func statuses(anon, coord, eval, audit, own, other int) map[string]int {
	return map[string]int{"anonymous": anon, "coord": coord, "eval": eval, "audit": audit, "wanzhou": own, "fuling": other}
}

// tinyPNG is a 1×1 picture for upload rows of the matrix.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

var evaluation = `{"event":"evaluate","data":{"score":80,"authentic":true,"no_classified":true,"no_infringement":true,"comment":"好"}}`

// matrix lists every API route; TestAuthorizationMatrix fails when the router
// has a route this table does not.
var matrix = map[string][]matrixRow{
	"GET /api/v1/openapi.json": {{noExhibit, nil, statuses(200, 200, 200, 200, 200, 200)}},
	"GET /api/v1/workflow":     {{noExhibit, nil, statuses(200, 200, 200, 200, 200, 200)}},
	"GET /api/v1/workflow.mmd": {{noExhibit, nil, statuses(200, 200, 200, 200, 200, 200)}},
	"GET /api/v1/workflow.dot": {{noExhibit, nil, statuses(200, 200, 200, 200, 200, 200)}},
	"POST /api/v1/login":       {{noExhibit, func(int64) string { return `{"name":"coord","password":"coord-password"}` }, statuses(200, 200, 200, 200, 200, 200)}},
	"POST /api/v1/logout":      {{noExhibit, nil, statuses(401, 200, 200, 200, 200, 200)}},
	"GET /api/v1/me":           {{noExhibit, nil, statuses(401, 200, 200, 200, 200, 200)}},
	"GET /api/v1/exhibits":     {{noExhibit, nil, statuses(401, 200, 200, 200, 200, 200)}},
	"POST /api/v1/exhibits":    {{noExhibit, func(int64) string { return `{"district":"500101","name":"新展品"}` }, statuses(401, 201, 403, 403, 201, 422)}},
	"GET /api/v1/exhibits/{id}": {
		{onMobilized, nil, statuses(401, 200, 404, 200, 200, 404)},
		{onRecommended, nil, statuses(401, 200, 200, 200, 200, 404)},
	},
	"PATCH /api/v1/exhibits/{id}": {
		{onMobilized, func(int64) string { return `{"version":1,"name":"改名"}` }, statuses(401, 200, 403, 403, 200, 404)},
		{onRecommended, func(int64) string { return `{"version":3,"name":"改名"}` }, statuses(401, 409, 403, 403, 409, 404)},
	},
	"POST /api/v1/exhibits/{id}/events": {
		{onMobilized, func(int64) string { return `{"event":"report"}` }, statuses(401, 200, 404, 403, 200, 404)},
		{onRecommended, func(int64) string { return evaluation }, statuses(401, 403, 200, 403, 403, 404)},
	},
	"GET /api/v1/exhibits/{id}/events": {
		{onMobilized, nil, statuses(401, 200, 404, 200, 200, 404)},
		{onRecommended, nil, statuses(401, 200, 200, 200, 200, 404)},
	},
	"POST /api/v1/exhibits/{id}/media": {
		{onMobilized, func(int64) string { return string(tinyPNG) }, statuses(401, 201, 403, 403, 201, 404)},
	},
	"GET /api/v1/exhibits/{id}/media": {
		{onMobilized, nil, statuses(401, 200, 404, 200, 200, 404)},
		{onRecommended, nil, statuses(401, 200, 200, 200, 200, 404)},
	},
	"GET /api/v1/media/{id}": {{noExhibit, nil, statuses(401, 404, 404, 404, 404, 404)}},
	"GET /api/v1/exhibits/{id}/history": {
		{onMobilized, nil, statuses(401, 200, 404, 200, 200, 404)},
		{onRecommended, nil, statuses(401, 200, 200, 200, 200, 404)},
	},
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var routes []string
	err := chi.Walk(bayuhttp.NewServer(a.st, bayuhttp.Options{}).Handler().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, "/api/v1/") {
			routes = append(routes, method+" "+route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(routes)
	for _, r := range routes {
		if _, ok := matrix[r]; !ok {
			t.Errorf("route %s is missing from the authorization matrix", r)
		}
	}
	for key := range matrix {
		if !containsString(routes, key) {
			t.Errorf("matrix lists %s, which is not routed", key)
		}
	}
	for _, key := range routes {
		method, pattern, _ := strings.Cut(key, " ")
		for _, row := range matrix[key] {
			for _, caller := range callers {
				id := a.fixture(t, row.scenario.state)
				path := strings.Replace(pattern, "{id}", fmt.Sprint(id), 1)
				path = strings.Replace(path, "{code}", "500101", 1) // the fixture's unit
				var body any
				if row.body != nil {
					body = row.body(id)
				}
				user := caller
				if caller == "anonymous" {
					user = ""
				}
				got := a.do(user, method, path, body)
				if want := row.want[caller]; got.status != want {
					t.Errorf("%s on %s as %s: got %d, want %d: %s", key, row.scenario.name, caller, got.status, want, got.body)
				}
			}
		}
	}
}

// fixture makes a fresh exhibit of unit 500101 in state s, through real events.
func (a *api) fixture(t *testing.T, s workflow.State) int64 {
	t.Helper()
	if s == "" {
		return 0
	}
	ctx := context.Background()
	coord, _ := a.st.Authenticate(ctx, a.tokens["coord"])
	own, _ := a.st.Authenticate(ctx, a.tokens["wanzhou"])
	eval, _ := a.st.Authenticate(ctx, a.tokens["eval"])
	x, err := a.st.CreateExhibit(ctx, own.Actor(), workflow.CreateInput{District: "500101", Fields: sample.Fields(1, workflow.Deposit)})
	if err != nil {
		t.Fatal(err)
	}
	path, _ := sample.Path(workflow.Deposit, s)
	for _, ev := range path {
		actor := coord.Actor()
		if ev == workflow.Evaluate { // the one event coordinators may not fire
			actor = eval.Actor()
		}
		c := sample.Command(x, ev, actor, x.UpdatedAt)
		if x, err = a.st.Fire(ctx, actor, store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: c.Data}); err != nil {
			t.Fatal(err)
		}
	}
	return x.ID
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
