package http_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/xuri/excelize/v2"

	"bayu/store"
)

// The audit routes in the authorization matrix: auditors and coordinators only.
func init() {
	auditorsOnly := []matrixRow{{noExhibit, nil, statuses(401, 200, 403, 200, 403, 403)}}
	for _, path := range []string{"/transitions", "/transitions.csv", "/transitions.xlsx",
		"/audit/verify", "/audit/head", "/audit/log", "/audit/log.csv", "/audit/log.xlsx"} {
		matrix["GET /api/v1"+path] = auditorsOnly
	}
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

// auditTrail fires a few events through the API: two exhibits reported, one
// recommended, one refused attempt with a request id of the client's choosing.
func (a *api) auditTrail(t *testing.T) (first, second int64) {
	t.Helper()
	first, _ = a.create("wanzhou")
	second, _ = a.create("wanzhou")
	for _, id := range []int64{first, second} {
		if r := a.fire("wanzhou", id, map[string]any{"event": "report"}); r.status != 200 {
			t.Fatalf("report: %d %s", r.status, r.body)
		}
	}
	if r := a.fire("wanzhou", first, map[string]any{"event": "recommend"}); r.status != 200 {
		t.Fatalf("recommend: %d %s", r.status, r.body)
	}
	if r := a.fire("wanzhou", second, map[string]any{"event": "decline", "reason": "=HYPERLINK(\"http://x\")"}); r.status != 200 {
		t.Fatalf("decline: %d %s", r.status, r.body)
	}
	if r := a.fire("coord", first, map[string]any{"event": "accept"}, "X-Request-Id", "审计-42"); r.status != 409 {
		t.Fatalf("accept before evaluation: %d %s", r.status, r.body)
	}
	return first, second
}

func TestTransitionsPagesFiltersAndShowsWhereFrom(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	first, second := a.auditTrail(t)
	var all []store.TransitionRow
	for cursor := ""; ; {
		r := a.do("audit", "GET", "/api/v1/transitions?limit=2&cursor="+cursor, nil)
		var page store.TransitionPage
		if err := json.Unmarshal(r.body, &page); r.status != 200 || err != nil {
			t.Fatalf("%d %s", r.status, r.body)
		}
		all = append(all, page.Transitions...)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(all) != 6 {
		t.Fatalf("%d transitions over the pages, want 6 (2 creations, 2 reports, a recommendation, a decline)", len(all))
	}
	last := all[5]
	if last.ExhibitID != second || last.Event != "decline" || last.District != "500101" || last.Actor != "wanzhou" ||
		last.ClientAddr != "127.0.0.1" || last.RequestID == "" || len(last.Hash) != 64 {
		t.Fatalf("last transition %+v", last)
	}
	for query, want := range map[string]int{
		fmt.Sprintf("exhibit=%d", first): 3, "event=report": 2, "actor=wanzhou": 6, "actor=coord": 0,
		"district=500102": 0, "since=2000-01-01&until=2100-01-01": 6, "until=2000-01-01": 0,
	} {
		r := a.do("coord", "GET", "/api/v1/transitions?"+query, nil)
		if n := len(r.json(t)["transitions"].([]any)); r.status != 200 || n != want {
			t.Errorf("%s: %d transitions, want %d", query, n, want)
		}
	}
	for _, bad := range []string{"exhibit=x", "since=yesterday", "limit=500", "cursor=zz", "format=pdf", "since=2026-01-02&until=2026-01-01"} {
		if r := a.do("audit", "GET", "/api/v1/transitions?"+bad, nil); r.status != 400 {
			t.Errorf("%s: %d, want 400", bad, r.status)
		}
	}
}

// A refused attempt is in the audit log with who, what, on which exhibit, why,
// from which address and in which request.
func TestRefusedAttemptIsInTheAuditLog(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	first, _ := a.auditTrail(t)
	r := a.do("audit", "GET", "/api/v1/audit/log?outcome=refused", nil)
	var page store.AuditPage
	if err := json.Unmarshal(r.body, &page); r.status != 200 || err != nil || len(page.Records) != 1 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	rec := page.Records[0]
	if rec.Actor != "coord" || rec.Role != "coordinator" || rec.Event != "accept" || rec.ObjectType != "exhibit" ||
		rec.ObjectID != fmt.Sprint(first) || rec.Reason == "" || rec.ClientAddr != "127.0.0.1" || rec.RequestID != "审计-42" {
		t.Fatalf("refusal record %+v", rec)
	}
	if !strings.Contains(string(rec.Detail), `"code":"invalid_transition"`) {
		t.Fatalf("detail %s", rec.Detail)
	}
	if r := a.do("coord", "GET", "/api/v1/audit/log?event=user_create", nil); len(r.json(t)["records"].([]any)) != 5 {
		t.Fatalf("user creations: %s", r.body)
	}
}

func TestExportsOpenInExcel(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.auditTrail(t)
	for _, path := range []string{"/api/v1/transitions.csv", "/api/v1/transitions?format=csv"} {
		body := a.raw(t, "audit", path, "text/csv")
		if !bytes.HasPrefix(body, []byte("\ufeff记录号,时间(UTC),展品编号,展品名称")) {
			t.Fatalf("%s starts %q", path, body[:min(len(body), 60)])
		}
		rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
		if err != nil || len(rows) != 7 {
			t.Fatalf("%s: %d rows, %v", path, len(rows), err)
		}
		if decline := rows[6]; decline[6] != "不予推荐" || decline[12] != `'=HYPERLINK("http://x")` {
			t.Fatalf("%s: the decline row reads %q", path, decline)
		}
	}
	for _, path := range []string{"/api/v1/transitions.xlsx", "/api/v1/audit/log.xlsx"} {
		f, err := excelize.OpenReader(bytes.NewReader(a.raw(t, "coord", path, "spreadsheetml")))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetList()[0]
		rows, _ := f.GetRows(sheet)
		f.Close()
		if want := map[string]int{"历史记录": 7, "审计日志": 7}[sheet]; len(rows) != want {
			t.Fatalf("%s: sheet %s has %d rows, want %d", path, sheet, len(rows), want)
		}
	}
	body := a.raw(t, "audit", "/api/v1/audit/log.csv?outcome=refused", "text/csv")
	if !bytes.Contains(body, []byte("被拒绝")) || !bytes.Contains(body, []byte("确定入选")) {
		t.Fatalf("audit log CSV: %s", body)
	}
}

func TestVerifyAndHeadOverHTTP(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	first, _ := a.auditTrail(t)
	head := a.do("audit", "GET", "/api/v1/audit/head", nil).json(t)["head"].(string)
	r := a.do("coord", "GET", "/api/v1/audit/verify?head="+head, nil).json(t)
	if r["ok"] != true || r["checked"].(float64) != 6+5+1 || r["first_bad"] != nil {
		t.Fatalf("intact: %v", r)
	}
	tx := a.st.DB().MustBegin()
	tx.MustExec(`ALTER TABLE exhibit_history DISABLE TRIGGER USER`)
	tx.MustExec(`UPDATE exhibit_history SET actor = 'mallory' WHERE exhibit_id = $1 AND seq = 2`, first)
	tx.MustExec(`ALTER TABLE exhibit_history ENABLE TRIGGER USER`)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	r = a.do("audit", "GET", "/api/v1/audit/verify", nil).json(t)
	bad, _ := r["first_bad"].(map[string]any)
	if r["ok"] != false || bad["exhibit_id"] != float64(first) || bad["seq"] != float64(2) || bad["problem"] != store.ProblemHash {
		t.Fatalf("tampered: %v", r)
	}
	if r := a.do("audit", "GET", "/api/v1/audit/verify?head=bayu1:x", nil); r.status != 400 {
		t.Fatalf("a malformed head: %d", r.status)
	}
}

// raw fetches a download, checks its content type and returns its body.
func (a *api) raw(t *testing.T, user, path, contentType string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", a.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+a.tokens[user])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), contentType) ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("%s: %d %s %s", path, res.StatusCode, res.Header.Get("Content-Type"), b[:min(len(b), 200)])
	}
	return b
}
