package http_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/listform"
)

func TestImportLibreOfficeFilesOverHTTP(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	res := a.imported("wanzhou", "500101", "", listFile(t, "lo-filled.xlsx"))
	if res.Created != 5 || res.Updated != 0 || res.Unchanged != 0 || len(res.Rows) != 5 {
		t.Fatalf("result %+v", res)
	}
	rowIDs := map[int]int64{}
	for _, r := range res.Rows {
		rowIDs[r.Row] = r.ID
		if r.State != workflow.Reported || r.Action != store.RowCreated {
			t.Errorf("row %+v", r)
		}
	}
	// Every field of three rows, as the API returns the stored exhibit.
	want := map[int]map[string]any{
		4: {"name": "世赛金牌", "category": "奖牌", "content_type": "competition", "region": "俄罗斯",
			"valuation_cny": 10000.0, "valuation_text": "1万元", "description": "梁攀参加第45届世赛电子技术项目夺得冠军获得金牌",
			"era_type": "制造年代", "era": "2019", "size_cm": "10×10", "dimensions_cm": []any{10.0, 10.0}, "weight_kg": 0.5,
			"quantity": 1.0, "method": "deposit", "source_unit": "铁路运输技师学院", "contact_name": "梁攀",
			"contact_phone": "18225293447", "storage_conditions": "干燥", "state": "reported", "district": "500101", "intake": "campaign"},
		6: {"name": "老式皮带车床", "category": "机床", "content_type": "production_equipment", "region": "重庆九龙坡",
			"valuation_cny": 3000.0, "valuation_text": "约3000元", "description": "1958年重庆机床厂生产的皮带车床",
			"era_type": "制造年代", "era": "1950年代", "size_cm": "180*80*120", "dimensions_cm": []any{180.0, 80.0, 120.0},
			"weight_kg": 1200.0, "quantity": 1.0, "method": "replication", "source_unit": "重庆机床厂", "contact_name": "李建国",
			"contact_phone": "023-68801234", "storage_conditions": "干燥通风", "state": "reported"},
		7: {"name": "技能大赛奖杯", "category": "奖杯", "content_type": "competition", "region": "重庆",
			"valuation_cny": 8000.0, "valuation_text": "8000", "description": "第一届全国技能大赛团体一等奖奖杯",
			"era_type": "获奖年代", "era": "2020", "size_cm": "30x20x5", "dimensions_cm": []any{30.0, 20.0, 5.0}, "weight_kg": 0.5,
			"quantity": 2.0, "method": "consignment", "source_unit": "重庆工业职业技术学院", "contact_name": "刘洋",
			"contact_phone": "13800138000", "storage_conditions": "干燥", "state": "reported"},
	}
	for row, fields := range want {
		got := a.do("wanzhou", "GET", fmt.Sprintf("/api/v1/exhibits/%d", rowIDs[row]), nil).json(t)
		for k, v := range fields {
			if !reflect.DeepEqual(got[k], v) {
				t.Errorf("row %d %s = %#v, want %#v", row, k, got[k], v)
			}
		}
	}
	h := a.do("wanzhou", "GET", fmt.Sprintf("/api/v1/exhibits/%d/history", rowIDs[9]), nil).json(t)["transitions"].([]any)
	if len(h) != 2 || h[0].(map[string]any)["event"] != "create" || h[1].(map[string]any)["event"] != "report" {
		t.Errorf("history %v", h)
	}

	// A list laid out by hand, sent by a coordinator as a multipart form for
	// another unit, recommended at once.
	var body bytes.Buffer
	boundary := "bayu-boundary"
	fmt.Fprintf(&body, "--%s\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n渝北区清单\r\n", boundary)
	fmt.Fprintf(&body, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"渝北区.xlsx\"\r\nContent-Type: %s\r\n\r\n", boundary, xlsxType)
	body.Write(listFile(t, "lo-scratch.xlsx"))
	fmt.Fprintf(&body, "\r\n--%s--\r\n", boundary)
	r := a.importList("coord", "500112", "?recommend=1", body.Bytes(), "Content-Type", "multipart/form-data; boundary="+boundary)
	var scratch store.ListImportResult
	if err := json.Unmarshal(r.body, &scratch); r.status != 200 || err != nil {
		t.Fatalf("multipart import: %d %s", r.status, r.body)
	}
	if scratch.Created != 30 || scratch.Rows[0].Row != 5 || scratch.Rows[0].State != workflow.DistrictRecommended ||
		!reflect.DeepEqual(scratch.Rows[0].Events, []workflow.Event{workflow.Report, workflow.Recommend}) {
		t.Errorf("scratch list %+v", scratch.Rows[0])
	}
}

func TestFaultyListIsRefusedWithEveryError(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	before := a.tables(t)
	for _, c := range []struct {
		query, header string
		first         string
	}{
		{"", "", "征集方式必须是捐赠、寄存、复制、寄售之一"},
		{"?lang=en", "", "must be one of 捐赠 (donation), 寄存 (deposit), 复制 (replication), 寄售 (consignment)"},
		{"?dry_run=1", "en-GB,en;q=0.8", "must be one of 捐赠 (donation), 寄存 (deposit), 复制 (replication), 寄售 (consignment)"},
	} {
		r := a.importList("wanzhou", "500101", c.query, listFile(t, "lo-faulty.xlsx"), "Accept-Language", c.header)
		if r.status != 422 || r.errCode(t) != "invalid" {
			t.Fatalf("%s: %d %s", c.query, r.status, r.body)
		}
		var body struct {
			Errors []listform.LocalRowError `json:"errors"`
		}
		json.Unmarshal(r.body, &body)
		var got []string
		for _, e := range body.Errors {
			got = append(got, fmt.Sprintf("%d %s", e.Row, e.Column))
		}
		want := []string{"5 征集方式", "6 联系方式", "7 展品名称", "8 估值(元）", "8 尺寸(cm)", "9 重量(kg)", "9 实际数量",
			"10 展品描述", "10 征集方式", "10 来源单位", "10 联系人", "10 联系方式"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: errors\n got %v\nwant %v", c.query, got, want)
		}
		if len(body.Errors) > 0 && body.Errors[0].Message != c.first {
			t.Errorf("%s: message %q, want %q", c.query, body.Errors[0].Message, c.first)
		}
	}
	if after := a.tables(t); after != before {
		t.Errorf("a refused list wrote: %s → %s", before, after)
	}
}

func TestReimportUpdatesWhileReportedRefusesOnceRecommended(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	file := listFile(t, "lo-filled.xlsx")
	first := a.imported("wanzhou", "500101", "", file)

	// Dry run of a new unit's list: the answer of an import, nothing written.
	before := a.tables(t)
	dry := a.imported("coord", "500102", "?dry_run=1", file)
	if !dry.DryRun || dry.Created != 5 || dry.Rows[0].ID != 0 || dry.Rows[0].State != workflow.Reported {
		t.Errorf("dry run %+v", dry)
	}
	if after := a.tables(t); after != before {
		t.Errorf("dry run wrote: %s → %s", before, after)
	}

	again := a.imported("wanzhou", "500101", "", file)
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != 5 || again.Rows[2].ID != first.Rows[2].ID {
		t.Errorf("re-import %+v", again)
	}
	// The district corrects a valuation: that row's exhibit is updated in place.
	corrected := edited(t, file, map[string]any{"E4": "2万元"})
	res := a.imported("wanzhou", "500101", "", corrected)
	if res.Updated != 1 || res.Unchanged != 4 || res.Rows[0].Action != store.RowUpdated || res.Rows[0].ID != first.Rows[0].ID ||
		!reflect.DeepEqual(res.Rows[0].Changed, []string{"valuation_text"}) {
		t.Fatalf("corrected %+v", res)
	}
	x := a.do("wanzhou", "GET", fmt.Sprintf("/api/v1/exhibits/%d", first.Rows[0].ID), nil).json(t)
	if x["valuation_cny"] != 20000.0 || x["valuation_text"] != "2万元" {
		t.Errorf("exhibit %v", x)
	}
	// Sent again with recommend=1: recommended, not changed.
	res = a.imported("wanzhou", "500101", "?recommend=1", corrected)
	if res.Unchanged != 5 || res.Rows[4].State != workflow.DistrictRecommended {
		t.Fatalf("recommend %+v", res)
	}
	// Now a change is refused, naming the state, and nothing is written.
	before = a.tables(t)
	r := a.importList("wanzhou", "500101", "", edited(t, corrected, map[string]any{"J6": 1300}))
	if r.status != 422 || !strings.Contains(string(r.body), `"row":6,"column":"重量(kg)","message":"该展品已是“区县已推荐”状态`) {
		t.Errorf("change after recommend: %d %s", r.status, r.body)
	}
	if after := a.tables(t); after != before {
		t.Errorf("a refused change wrote: %s → %s", before, after)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.imported("wanzhou", "500101", "", listFile(t, "lo-filled.xlsx"))
	r := a.do("wanzhou", "GET", "/api/v1/districts/500101/lists.xlsx", nil)
	if r.status != 200 || r.header.Get("Content-Type") != xlsxType {
		t.Fatalf("export: %d %s", r.status, r.header)
	}
	// 万州区展品征集项目清单.xlsx, percent-encoded as RFC 5987 asks.
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="list-500101.xlsx"; filename*=UTF-8''`+
		`%E4%B8%87%E5%B7%9E%E5%8C%BA%E5%B1%95%E5%93%81%E5%BE%81%E9%9B%86%E9%A1%B9%E7%9B%AE%E6%B8%85%E5%8D%95.xlsx` {
		t.Errorf("Content-Disposition %s", cd)
	}
	l, err := listform.ParseBytes(r.body, listform.Options{})
	if err != nil || len(l.Rows) != 5 || l.Footer != (listform.UnitInfo{Name: "万州区", ContactName: "王芳", ContactPhone: "13896001122"}) {
		t.Fatalf("exported list: %v %+v", err, l)
	}
	back := a.imported("wanzhou", "500101", "", r.body)
	if back.Unchanged != 5 || back.Created+back.Updated != 0 {
		t.Errorf("round trip %+v", back)
	}
	if r := a.do("fuling", "GET", "/api/v1/districts/500101/lists.xlsx", nil); r.status != 404 {
		t.Errorf("another unit's list: %d", r.status)
	}
	if r := a.do("coord", "GET", "/api/v1/districts/500101/lists.xlsx?state=bogus", nil); r.status != 400 {
		t.Errorf("bad state: %d %s", r.status, r.body)
	}

	// The blank form: public, named in Chinese, and refused as a list with no items.
	tpl := a.do("", "GET", "/template.xlsx", nil)
	if tpl.status != 200 || tpl.header.Get("Content-Type") != xlsxType ||
		!strings.HasPrefix(tpl.header.Get("Content-Disposition"), `attachment; filename="template.xlsx"; filename*=UTF-8''%E2%80%9C%E5%B7%B4`) {
		t.Fatalf("template: %d %v", tpl.status, tpl.header)
	}
	if r := a.importList("wanzhou", "500101", "", tpl.body); r.status != 422 || !strings.Contains(string(r.body), "没有填写任何展品") {
		t.Errorf("blank template imported: %d %s", r.status, r.body)
	}
}

func TestFinalListAndLibraryExports(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	accepted := a.walkTo(t, 1, workflow.Accepted)
	stored := a.walkTo(t, 2, workflow.Stored)
	a.walkTo(t, 3, workflow.Reported)

	r := a.do("coord", "GET", "/api/v1/exports/final-list.xlsx", nil)
	if r.status != 200 || !strings.Contains(r.header.Get("Content-Disposition"), `filename="final-list.xlsx"`) {
		t.Fatalf("final list: %d %v", r.status, r.header)
	}
	l, err := listform.ParseBytes(r.body, listform.Options{})
	if err != nil || len(l.Rows) != 2 {
		t.Fatalf("final list: %v %+v", err, l)
	}
	if l.Rows[0].Fields.Name != accepted.Name || l.Rows[0].Extra["推荐单位"] != "万州区" || l.Rows[1].Fields.Name != stored.Name {
		t.Errorf("final list rows %+v", l.Rows)
	}

	// The auditor's catalogue: the library's one item, its phone masked.
	r = a.do("audit", "GET", "/api/v1/exports/library.xlsx", nil)
	if r.status != 200 {
		t.Fatalf("library: %d %s", r.status, r.body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(listform.SheetName)
	if len(rows) < 3 || !reflect.DeepEqual(rows[1][16:], []string{"征集内容", "推荐单位", "状态", "存放位置"}) {
		t.Fatalf("library header %q", rows[1])
	}
	item := rows[2]
	if item[1] != stored.Name || item[14] != workflow.MaskedPhone(stored.ContactPhone) || item[17] != "万州区" || item[18] != "已入库" || item[19] == "" {
		t.Errorf("library row %q", item)
	}
}
