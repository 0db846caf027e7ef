package workflow_test

import (
	"testing"

	"bayu/workflow"
)

func TestDecodeCreate(t *testing.T) {
	in, err := workflow.DecodeCreate([]byte(`{"district":"500101","name":" 世赛金牌 ","valuation_text":"1.5万","quantity":2}`))
	if err != nil {
		t.Fatal(err)
	}
	in.Fields.Normalize()
	if in.District != "500101" || in.Fields.Name != "世赛金牌" || *in.Fields.ValuationCNY != 15000 || in.Fields.Quantity != 2 {
		t.Errorf("decoded %+v", in)
	}
	cases := []struct {
		body  string
		code  workflow.Code
		field string
	}{
		{`[1,2]`, workflow.CodeBadRequest, ""},
		{`{"name":"x"} {"name":"y"}`, workflow.CodeBadRequest, ""},
		{`{"name":"x","colour":"red"}`, workflow.CodeBadRequest, "colour"},
		{`{"name":"x","state":"stored"}`, workflow.CodeInvalid, "state"},
		{`{"name":"x","version":3}`, workflow.CodeInvalid, "version"},
		{`{"name":"x","quantity":"two"}`, workflow.CodeInvalid, "quantity"},
		{"{\"name\":\"\xff\"}", workflow.CodeBadRequest, ""},
	}
	for _, c := range cases {
		_, err := workflow.DecodeCreate([]byte(c.body))
		e, _ := err.(*workflow.Error)
		if e == nil || e.Code != c.code {
			t.Errorf("%s: want %s, got %v", c.body, c.code, err)
			continue
		}
		if c.field != "" && e.Fields[c.field].ZH == "" {
			t.Errorf("%s: field %s not named: %v", c.body, c.field, err)
		}
	}
}

func TestPatchAppliesOnlyWhatWasSent(t *testing.T) {
	v := int64(100)
	base := workflow.Fields{Name: "旧", Category: "奖牌", ValuationCNY: &v, ValuationText: "100元", Quantity: 1}
	p, err := workflow.DecodePatch([]byte(`{"version":4,"valuation_text":"2万"}`))
	if err != nil {
		t.Fatal(err)
	}
	f := p.Apply(base)
	f.Normalize()
	if p.Version != 4 || f.Name != "旧" || f.Category != "奖牌" || f.ValuationCNY == nil || *f.ValuationCNY != 20000 {
		t.Errorf("patched %+v", f)
	}
	if _, err := workflow.DecodePatch([]byte(`{"version":4,"district":"500102"}`)); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("moving to another unit: %v", err)
	}
}

func TestValidateNamesEveryBadField(t *testing.T) {
	neg := int64(-5)
	f := workflow.Fields{Name: "", ValuationCNY: &neg, SizeCM: "big", ContactPhone: "12", Method: "gift", ContentType: "art"}
	fe := f.Validate(true)
	for _, k := range []string{"name", "valuation_cny", "size_cm", "contact_phone", "method", "content_type", "quantity", "category"} {
		if _, ok := fe[k]; !ok {
			t.Errorf("%s not named: %v", k, fe)
		}
	}
	if workflow.MaskedPhone("13900000101") != "139****0101" {
		t.Errorf("mask: %s", workflow.MaskedPhone("13900000101"))
	}
}
