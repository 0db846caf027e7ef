package http_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// accepted creates an item of the method through the API and takes it to
// accepted as the unit, the evaluator and the coordinator would.
func (a *api) accepted(method string, extra map[string]any) int64 {
	a.t.Helper()
	item := map[string]any{}
	for k, v := range completeItem {
		item[k] = v
	}
	item["method"] = method
	for k, v := range extra {
		item[k] = v
	}
	r := a.do("wanzhou", "POST", "/api/v1/exhibits", item)
	if r.status != 201 {
		a.t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := int64(r.json(a.t)["id"].(float64))
	a.must("wanzhou", id, `{"event":"report"}`)
	a.must("wanzhou", id, `{"event":"recommend"}`)
	a.must("eval", id, evaluation)
	a.must("coord", id, `{"event":"accept"}`)
	return id
}

// must fires an event or action that has to succeed and returns the exhibit.
func (a *api) must(user string, id int64, body string) map[string]any {
	a.t.Helper()
	r := a.fire(user, id, body)
	if r.status != 200 {
		a.t.Fatalf("%s as %s: %d %s", body, user, r.status, r.body)
	}
	return r.json(a.t)
}

// get reads a JSON answer that has to be 200.
func (a *api) get(user, path string) map[string]any {
	a.t.Helper()
	r := a.do(user, "GET", path, nil)
	if r.status != 200 {
		a.t.Fatalf("GET %s as %s: %d %s", path, user, r.status, r.body)
	}
	return r.json(a.t)
}

func exhibitPath(id int64) string { return "/api/v1/exhibits/" + strconv.FormatInt(id, 10) }

// dueDates lists the due dates of an agreement answer.
func dueDates(agreement map[string]any) []string {
	var out []string
	for _, d := range agreement["due_dates"].([]any) {
		out = append(out, d.(map[string]any)["due"].(string))
	}
	return out
}

// TestEachMethodEndToEnd walks an item of each of the notice's four methods
// from creation to its end through the API, and checks its agreement's terms.
func TestEachMethodEndToEnd(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	signed := map[string]string{} // method → agreement number

	// Donation: a copy (the notice allows it), stored and shown, kept for good.
	don := a.accepted("donation", nil)
	a.must("coord", don, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"重庆市公共实训中心；铁路运输技师学院","donation_form":"copy"}}`)
	a.must("coord", don, `{"event":"store","data":{"location":"实训中心库房 A-01"}}`)
	g := a.get("coord", exhibitPath(don)+"/agreement")
	if g["method"] != "donation" || g["donation_form"] != "copy" || g["parties"] != "重庆市公共实训中心；铁路运输技师学院" || g["signed_on"] != "2026-07-10" {
		t.Errorf("donation agreement: %v", g)
	}
	signed["donation"] = g["number"].(string)

	// Deposit: returned after two extensions, every earlier due date kept.
	dep := a.accepted("deposit", nil)
	a.must("coord", dep, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"中心；学院","return_due":"2026-12-31"}}`)
	a.must("coord", dep, `{"event":"store","data":{"location":"实训中心库房 A-02"}}`)
	if r := a.fire("coord", dep, `{"event":"extend_deposit","data":{"return_due":"2026-11-30"}}`); r.status != 422 || r.fields(t)["data.return_due"] == nil {
		t.Errorf("an extension to an earlier date: %d %s", r.status, r.body)
	}
	if r := a.fire("wanzhou", dep, `{"event":"extend_deposit","data":{"return_due":"2027-06-30"}}`); r.status != 403 {
		t.Errorf("a district extends a deposit: %d %s", r.status, r.body)
	}
	x := a.must("coord", dep, `{"event":"extend_deposit","reason":"持有人同意续展","data":{"return_due":"2027-06-30"}}`)
	if x["state"] != "stored" || x["agreement"].(map[string]any)["return_due"] != "2027-06-30" {
		t.Errorf("after the first extension: %v", x)
	}
	a.must("coord", dep, `{"event":"extend_deposit","data":{"return_due":"2027-12-31"}}`)
	g = a.get("coord", exhibitPath(dep)+"/agreement")
	if want := []string{"2026-12-31", "2027-06-30", "2027-12-31"}; !slices.Equal(dueDates(g), want) || g["return_due"] != "2027-12-31" {
		t.Errorf("deposit due dates %v (return_due %v), want %v", dueDates(g), g["return_due"], want)
	}
	var extensions []string
	for _, h := range a.get("audit", exhibitPath(dep)+"/history")["transitions"].([]any) {
		if row := h.(map[string]any); row["event"] == "extend_deposit" {
			d := row["data"].(map[string]any)
			extensions = append(extensions, fmt.Sprint(d["previous_return_due"], "→", d["return_due"], " ", row["from"], "→", row["to"]))
		}
	}
	if want := []string{"2026-12-31→2027-06-30 stored→stored", "2027-06-30→2027-12-31 stored→stored"}; !slices.Equal(extensions, want) {
		t.Errorf("extension history %v, want %v", extensions, want)
	}
	a.must("coord", dep, `{"event":"return","data":{"returned_on":"2027-12-20","receipt":"回执 001"}}`)
	signed["deposit"] = g["number"].(string)

	// Replication: copied, the original given back, the replica stored.
	rep := a.accepted("replication", nil)
	a.must("coord", rep, `{"event":"sign_agreement","data":{"signed_on":"2026-07-11","parties":"中心；档案馆","original_return_due":"2026-09-30"}}`)
	a.must("coord", rep, `{"event":"start_replication"}`)
	x = a.must("coord", rep, `{"event":"complete_replication","data":{"original_returned_on":"2026-09-01","location":"复制品库 B-01"}}`)
	if x["state"] != "stored" || x["custody"].(map[string]any)["location"] != "复制品库 B-01" {
		t.Errorf("replica: %v", x)
	}
	g = a.get("coord", exhibitPath(rep)+"/agreement")
	if g["original_return_due"] != "2026-09-30" || !slices.Equal(dueDates(g), []string{"2026-09-30"}) {
		t.Errorf("replication agreement: %v", g)
	}
	signed["replication"] = g["number"].(string)

	// Consignment: listed with its price and commission, shown publicly for sale, sold.
	con := a.accepted("consignment", nil)
	a.must("coord", con, `{"event":"sign_agreement","data":{"signed_on":"2026-07-12","parties":"中心；工作室","asking_price_cny":12000,"commission_pct":12.5,"term_end":"2027-01-31"}}`)
	a.must("coord", con, `{"event":"store","data":{"location":"寄售展柜 C-01"}}`)
	g = a.get("coord", exhibitPath(con)+"/agreement")
	if g["asking_price_cny"] != 12000.0 || g["commission_pct"] != 12.5 || g["term_end"] != "2027-01-31" {
		t.Errorf("consignment agreement: %v", g)
	}
	signed["consignment"] = g["number"].(string)
	list := a.get("audit", "/api/v1/consignments")["consignments"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["asking_price_cny"] != 12000.0 || list[0].(map[string]any)["state"] != "stored" {
		t.Errorf("consignment list: %v", list)
	}
	if it := a.get("", "/api/v1/gallery/"+strconv.FormatInt(con, 10)); it["asking_price_cny"] != 12000.0 {
		t.Errorf("the gallery does not offer it for sale: %v", it)
	}
	// Unsold at its term end, the item is due back with its holder.
	a.clock.Advance(210 * 24 * time.Hour) // 2027-02-05
	if s := a.get("coord", "/api/v1/consignments")["consignments"].([]any)[0].(map[string]any); s["due_for_return"] != true {
		t.Errorf("unsold after its term: %v", s)
	}
	x = a.must("coord", con, `{"event":"sell","data":{"price_cny":11000,"sold_on":"2027-02-05"}}`)
	if x["state"] != "sold" || x["custody"].(map[string]any)["sold_price_cny"] != 11000.0 {
		t.Errorf("sold: %v", x)
	}
	list = a.get("coord", "/api/v1/consignments")["consignments"].([]any)
	if s := list[0].(map[string]any); s["sold_price_cny"] != 11000.0 || s["sold_on"] != "2027-02-05" || s["due_for_return"] != false {
		t.Errorf("the list after the sale: %v", s)
	}

	// Four agreements signed in 2026: numbered 0001 to 0004 in signing order.
	want := map[string]string{"donation": "BYGJ-2026-0001", "deposit": "BYGJ-2026-0002", "replication": "BYGJ-2026-0003", "consignment": "BYGJ-2026-0004"}
	for m, n := range want {
		if signed[m] != n {
			t.Errorf("%s agreement number %q, want %q", m, signed[m], n)
		}
	}
}

// TestLocationHistoryAfterSeveralMoves: store, three moves, an exhibition and
// back, a return — the location history lists every step, from and to, who and when.
func TestLocationHistoryAfterSeveralMoves(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := a.accepted("deposit", nil)
	a.must("coord", id, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"中心；学院","return_due":"2027-06-30"}}`)
	a.must("coord", id, `{"event":"store","data":{"location":"库房 A-01"}}`)
	a.must("coord", id, `{"event":"move","data":{"location":"库房 B-02"}}`)
	a.clock.Advance(3600e9)
	a.must("coord", id, `{"event":"move","reason":"恒温恒湿","data":{"location":"恒温库 C-03"}}`)
	if r := a.fire("coord", id, `{"event":"move","data":{"location":"恒温库 C-03"}}`); r.status != 422 || r.fields(t)["data.location"] == nil {
		t.Errorf("a move to where it is: %d %s", r.status, r.body)
	}
	ex := a.do("coord", "POST", "/api/v1/exhibitions", `{"venue_id":1,"title":"巴渝工匠绝技绝活展","starts_on":"2026-08-01","ends_on":"2026-10-31"}`)
	if ex.status != 201 {
		t.Fatalf("exhibition: %d %s", ex.status, ex.body)
	}
	exID := int64(ex.json(t)["id"].(float64))
	x := a.must("coord", id, fmt.Sprintf(`{"event":"display","data":{"exhibition":%d}}`, exID))
	if c := x["custody"].(map[string]any); c["display_venue"] != "世界技能博物馆" || c["display_from"] != "2026-08-01" || c["display_until"] != "2026-10-31" || c["exhibition_id"] != float64(exID) {
		t.Errorf("display from the exhibition's venue and dates: %v", c)
	}
	if r := a.fire("coord", id, `{"event":"move","data":{"location":"库房 D-04"}}`); r.status != 409 {
		t.Errorf("a move while on display: %d %s", r.status, r.body)
	}
	items := a.get("coord", "/api/v1/exhibitions/"+strconv.FormatInt(exID, 10))
	if it := items["items"].([]any); len(it) != 1 || it[0].(map[string]any)["current"] != true || items["on_display"] != 1.0 {
		t.Errorf("the exhibition's items: %v", items)
	}
	a.must("coord", id, `{"event":"end_display"}`)
	a.must("coord", id, `{"event":"move","data":{"location":"库房 D-04"}}`)
	a.must("coord", id, `{"event":"return","data":{"returned_on":"2026-12-01","receipt":"回执 7"}}`)

	h := a.get("eval", exhibitPath(id)+"/locations")
	var steps []string
	for _, m := range h["movements"].([]any) {
		mv := m.(map[string]any)
		if mv["actor"] != "coord" || mv["at"] == "" {
			t.Errorf("movement without who or when: %v", mv)
		}
		steps = append(steps, fmt.Sprint(mv["event"], ":", mv["from"], "→", mv["to"]))
	}
	want := []string{"store:→库房 A-01", "move:库房 A-01→库房 B-02", "move:库房 B-02→恒温库 C-03",
		"display:恒温库 C-03→世界技能博物馆", "end_display:世界技能博物馆→恒温库 C-03", "move:恒温库 C-03→库房 D-04", "return:库房 D-04→"}
	if !slices.Equal(steps, want) || h["location"] != "库房 D-04" {
		t.Errorf("location history\n got %v\nwant %v (now %v)", steps, want, h["location"])
	}
	items = a.get("coord", "/api/v1/exhibitions/"+strconv.FormatInt(exID, 10))
	if it := items["items"].([]any); len(it) != 1 || it[0].(map[string]any)["current"] != false {
		t.Errorf("an item shown before stays on the exhibition's list: %v", items)
	}
}

// TestDisplayPastReturnDateIsRefused: an exhibition running past the deposit's
// return date is refused with 422 naming data.until and the date, and nothing
// changes; a shorter stay at the same exhibition is accepted.
func TestDisplayPastReturnDateIsRefused(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := a.accepted("deposit", nil)
	a.must("coord", id, `{"event":"sign_agreement","data":{"signed_on":"2026-07-10","parties":"中心；学院","return_due":"2026-09-15"}}`)
	before := a.must("coord", id, `{"event":"store","data":{"location":"库房 A-01"}}`)
	ex := a.do("coord", "POST", "/api/v1/exhibitions", `{"venue_id":2,"title":"智博会展区","starts_on":"2026-08-20","ends_on":"2026-09-30"}`).json(t)
	exID := int64(ex["id"].(float64))
	for _, body := range []string{
		fmt.Sprintf(`{"event":"display","data":{"exhibition":%d}}`, exID),
		`{"event":"display","data":{"venue":"智博会","from":"2026-08-20","until":"2026-09-16"}}`,
	} {
		r := a.fire("coord", id, body)
		msg, _ := r.fields(t)["data.until"].(string)
		if r.status != 422 || !strings.Contains(msg, "2026-09-15") || !strings.Contains(string(r.body), "归还日期") {
			t.Errorf("%s: %d %s", body, r.status, r.body)
		}
	}
	if x := a.get("coord", exhibitPath(id)); x["state"] != "stored" || x["version"] != before["version"] {
		t.Errorf("a refused display changed the item: %v", x)
	}
	if r := a.fire("coord", id, `{"event":"display","data":{"exhibition":999}}`); r.status != 422 || r.fields(t)["data.exhibition"] == nil {
		t.Errorf("an unknown exhibition: %d %s", r.status, r.body)
	}
	x := a.must("coord", id, fmt.Sprintf(`{"event":"display","data":{"exhibition":%d,"until":"2026-09-15"}}`, exID))
	if c := x["custody"].(map[string]any); c["display_until"] != "2026-09-15" || c["display_venue"] != "智博会" {
		t.Errorf("display to the return date: %v", c)
	}
}

// TestVenuesOfTheNotice: the venues of 七、展示展览 are there from the start.
func TestVenuesOfTheNotice(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var got []string
	for _, v := range a.get("wanzhou", "/api/v1/venues")["venues"].([]any) {
		got = append(got, v.(map[string]any)["name_zh"].(string))
	}
	want := []string{"世界技能博物馆", "智博会", "重庆英才大会", "西部人力资源服务博览会",
		"“巴渝工匠”文化展示长廊（市人力社保局）", "“巴渝工匠”文化展示长廊（市公共实训中心）"}
	if !slices.Equal(got, want) {
		t.Errorf("venues %v, want %v", got, want)
	}
}
