package http_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"bayu/store"
	"bayu/workflow"
)

// login signs in and returns the session cookie's value.
func (a *api) login(name, password string) (reply, string) {
	a.t.Helper()
	r := a.do("", "POST", "/api/v1/login", map[string]string{"name": name, "password": password})
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "bayu_session" && c.Value != "" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				a.t.Errorf("session cookie lacks HttpOnly/SameSite=Lax: %+v", c)
			}
			return r, c.Value
		}
	}
	return r, ""
}

func TestLoginLogoutAndANewSessionEachTime(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	r, sid := a.login("coord", "coord-password")
	if r.status != 200 || sid == "" {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	_, sid2 := a.login("coord", "coord-password")
	if sid2 == sid {
		t.Error("a second login reused the session id")
	}
	if me := a.do("cookie:"+sid, "GET", "/api/v1/me", nil).json(t); me["name"] != "coord" || me["role"] != "coordinator" {
		t.Errorf("me: %v", me)
	}
	if r := a.do("cookie:"+sid, "POST", "/api/v1/logout", nil); r.status != 200 {
		t.Fatalf("logout: %d", r.status)
	}
	if r := a.do("cookie:"+sid, "GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("session lives after logout: %d", r.status)
	}
	if r := a.do("cookie:"+sid2, "GET", "/api/v1/me", nil); r.status != 200 {
		t.Errorf("logout ended another session too: %d", r.status)
	}
	if r, _ := a.login("coord", "wrong"); r.status != 401 || r.errCode(t) != "unauthenticated" {
		t.Errorf("wrong password: %d %s", r.status, r.body)
	}
	if r, _ := a.login("nobody", "whatever-pass"); r.status != 401 {
		t.Errorf("unknown user: %d %s", r.status, r.body)
	}
	a.clock.Advance(store.SessionIdle + time.Minute)
	if r := a.do("cookie:"+sid2, "GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("idle session still valid: %d", r.status)
	}
}

func TestLockoutAfterTenFailures(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for i := range 10 {
		if r, _ := a.login("coord", "wrong"); r.status != 401 {
			t.Fatalf("failure %d: %d", i+1, r.status)
		}
	}
	r, sid := a.login("coord", "coord-password")
	if r.status != 429 || sid != "" || !strings.Contains(string(r.body), "分钟") {
		t.Fatalf("the right password during lockout: %d %s", r.status, r.body)
	}
	a.clock.Advance(store.LockoutFor + time.Second)
	if r, sid := a.login("coord", "coord-password"); r.status != 200 || sid == "" {
		t.Fatalf("after the lockout: %d %s", r.status, r.body)
	}
	// A success resets the count: nine more failures do not lock.
	for range 9 {
		a.login("coord", "wrong")
	}
	if r, _ := a.login("coord", "coord-password"); r.status != 200 {
		t.Fatalf("nine failures locked the name: %d", r.status)
	}
}

func TestDisableEndsSessionsAndTokensAtOnce(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, sid := a.login("coord", "coord-password")
	if _, err := a.st.DisableUser(context.Background(), "coord"); err != nil {
		t.Fatal(err)
	}
	if r := a.do("cookie:"+sid, "GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("session after disable: %d", r.status)
	}
	if r := a.do("coord", "GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("token after disable: %d", r.status)
	}
	if r, _ := a.login("coord", "coord-password"); r.status != 401 {
		t.Errorf("login after disable: %d", r.status)
	}
}

// A transition takes a token the store accepted lately without looking it up
// again, and checks it in the statement that locks the exhibit instead: a
// disabled user's remembered token must be refused there, nothing written, and
// learn nothing of which exhibits exist.
func TestDisabledTokenIsRefusedByTheTransitionItself(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	if r := a.fire("wanzhou", id, `{"event":"report"}`); r.status != 200 {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	if _, ok := a.st.RememberedToken(a.tokens["wanzhou"]); !ok {
		t.Fatal("the token accepted for the report is not remembered: the test would not reach the check in the transaction")
	}
	before, err := a.st.History(context.Background(), a.actor("coord"), id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.st.DisableUser(context.Background(), "wanzhou"); err != nil {
		t.Fatal(err)
	}
	r := a.fire("wanzhou", id, `{"event":"recommend","version":2}`)
	if r.status != 401 || r.errCode(t) != "unauthenticated" || r.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("event with a disabled user's token: %d %s %v", r.status, r.body, r.header)
	}
	if r := a.fire("wanzhou", 987654321, `{"event":"report"}`); r.status != 401 {
		t.Errorf("event on a missing exhibit with a disabled user's token: %d %s", r.status, r.body)
	}
	after, err := a.st.History(context.Background(), a.actor("coord"), id)
	if err != nil {
		t.Fatal(err)
	}
	x, err := a.st.Exhibit(context.Background(), a.actor("coord"), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || x.State != workflow.Reported || x.Version != 2 {
		t.Errorf("the refused event wrote: %d history rows (was %d), %s v%d", len(after), len(before), x.State, x.Version)
	}
	if _, ok := a.st.RememberedToken(a.tokens["wanzhou"]); ok {
		t.Error("the refused token is still remembered")
	}
	// Another user's remembered token is unaffected and still works.
	if r := a.fire("coord", id, `{"event":"withdraw","reason":"测试"}`); r.status != 200 {
		t.Errorf("coordinator after the district user's refusal: %d %s", r.status, r.body)
	}
}

func TestCrossSiteFormPostIsRefused(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, sid := a.login("coord", "coord-password")
	r := a.do("cookie:"+sid, "POST", "/api/v1/exhibits", `{"district":"500101","name":"跨站"}`, "Sec-Fetch-Site", "cross-site")
	if r.status != 403 || r.errCode(t) != "forbidden" {
		t.Fatalf("cross-site post: %d %s", r.status, r.body)
	}
	r = a.do("cookie:"+sid, "POST", "/api/v1/exhibits", `{"district":"500101","name":"同站"}`, "Sec-Fetch-Site", "same-origin")
	if r.status != 201 {
		t.Fatalf("same-origin post: %d %s", r.status, r.body)
	}
	page, _ := a.st.ListExhibits(context.Background(), a.actor("coord"), store.ExhibitFilter{})
	if len(page.Exhibits) != 1 {
		t.Fatalf("%d exhibits; the cross-site post wrote something", len(page.Exhibits))
	}
}
