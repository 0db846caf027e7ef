package http_test

import (
	"context"
	"net/http"
	"strconv"
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
// again, and checks it in the statement that locks the exhibit instead. A
// disabled user's remembered token must be refused there with nothing written,
// and every refusal made before the transaction must check the token first, so
// that it learns nothing, not even which exhibits exist.
func TestDisabledTokenIsRefusedByTheTransitionItself(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ctx := context.Background()
	id, _ := a.create("wanzhou")
	if r := a.fire("wanzhou", id, `{"event":"report"}`); r.status != 200 {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	before, err := a.st.History(ctx, a.actor("coord"), id)
	if err != nil {
		t.Fatal(err)
	}
	exhibit := "/api/v1/exhibits/" + strconv.FormatInt(id, 10) + "/events"
	cases := []struct{ name, role, path, body string }{
		{"the transition", "district", exhibit, `{"event":"recommend","version":2}`},
		{"an action", "coordinator", exhibit, `{"event":"move","data":{"location":"B-1"}}`},
		{"a missing exhibit", "district", "/api/v1/exhibits/987654321/events", `{"event":"report"}`},
		{"a malformed id", "district", "/api/v1/exhibits/x/events", `{"event":"report"}`},
		{"malformed JSON", "district", exhibit, `{"event":`},
		{"no event", "district", exhibit, `{}`},
		{"an unknown event", "district", exhibit, `{"event":"teleport"}`},
		{"a role the route refuses", "auditor", exhibit, `{"event":"recommend"}`},
	}
	for i, c := range cases {
		name := "leaver" + strconv.Itoa(i)
		u := store.NewUser{Name: name, Role: workflow.Role(c.role)}
		if u.Role == workflow.District {
			u.District = "500101"
		}
		_, tok, err := a.st.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		a.tokens[name] = tok
		if r := a.do(name, "GET", "/api/v1/me", nil); r.status != 200 {
			t.Fatalf("%s: me: %d", c.name, r.status)
		}
		if _, ok := a.st.RememberedToken(tok); !ok {
			t.Fatalf("%s: the accepted token is not remembered: the test would not reach the path it tests", c.name)
		}
		if _, err := a.st.DisableUser(ctx, name); err != nil {
			t.Fatal(err)
		}
		r := a.do(name, "POST", c.path, c.body)
		if r.status != 401 || r.errCode(t) != "unauthenticated" || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s with a disabled user's remembered token: %d %s", c.name, r.status, r.body)
		}
	}
	after, err := a.st.History(ctx, a.actor("coord"), id)
	if err != nil {
		t.Fatal(err)
	}
	x, err := a.st.Exhibit(ctx, a.actor("coord"), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || x.State != workflow.Reported || x.Version != 2 {
		t.Errorf("a refused request wrote: %d history rows (was %d), %s v%d", len(after), len(before), x.State, x.Version)
	}
	// Other users' remembered tokens are unaffected.
	if r := a.fire("wanzhou", id, `{"event":"recommend","version":2}`); r.status != 200 {
		t.Errorf("an enabled user after the refusals: %d %s", r.status, r.body)
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

// A remembered token is used without the round trip for a few minutes only.
func TestRememberedTokensAreForgottenAfterAWhile(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	if r := a.do("coord", "GET", "/api/v1/me", nil); r.status != 200 {
		t.Fatalf("me: %d", r.status)
	}
	if _, ok := a.st.RememberedToken(a.tokens["coord"]); !ok {
		t.Fatal("an accepted token is not remembered")
	}
	a.clock.Advance(4 * time.Minute)
	if _, ok := a.st.RememberedToken(a.tokens["coord"]); !ok {
		t.Error("forgotten after four minutes")
	}
	a.clock.Advance(2 * time.Minute)
	if _, ok := a.st.RememberedToken(a.tokens["coord"]); ok {
		t.Error("still remembered after six minutes")
	}
	if _, ok := a.st.RememberedToken("not-a-token"); ok {
		t.Error("a string that is no token is remembered")
	}
}
