package workflow

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// The forms a donation takes: the notice prefers originals, but a holder who
// will not part with one may give a copy instead (六、征集方式（1）).
const (
	DonatedOriginal = "original"
	DonatedCopy     = "copy"
)

var donationForms = map[string]Text{
	DonatedOriginal: T("原件", "original"),
	DonatedCopy:     T("复制件", "copy"),
}

// DonationFormLabel is a donation form's name for people.
func DonationFormLabel(form string) Text { return donationForms[form] }

// AgreementNumber writes the number of the seq-th agreement of a year:
// BYGJ-2022-0001. The store counts, per year, in the signing transaction, so
// numbers are unique and leave no gaps.
func AgreementNumber(year, seq int) string { return fmt.Sprintf("BYGJ-%04d-%04d", year, seq) }

// readAgreementTerms reads the terms of the exhibit's method into a; the
// method's date must not be before the signing day.
func readAgreementTerms(x *Exhibit, a *Agreement, d *dataReader) {
	switch x.Method {
	case Donation:
		a.DonationForm = d.choice("donation_form", DonatedOriginal, donationForms)
	case Deposit:
		a.ReturnDue = d.date("return_due", true)
		d.after("return_due", a.ReturnDue, "signed_on", a.SignedOn)
	case Replication:
		a.OriginalReturnDue = d.date("original_return_due", true)
		d.after("original_return_due", a.OriginalReturnDue, "signed_on", a.SignedOn)
	case Consignment:
		p := d.integer("asking_price_cny", true, 0, MaxYuan)
		a.AskingPriceCNY = &p
		// No commission is the default: the notice has the organiser offer a
		// place to show and sell (六（4）), a fee is for the agreement to say.
		pct := d.decimal("commission_pct", 0, 100)
		a.CommissionPct = &pct
		a.TermEnd = d.date("term_end", true)
		d.after("term_end", a.TermEnd, "signed_on", a.SignedOn)
	}
}

// choice reads an optional text that must be one of the keys of allowed;
// missing, it is def.
func (d *dataReader) choice(key, def string, allowed map[string]Text) string {
	r, ok := d.raw(key, false)
	if !ok {
		return def
	}
	var s string
	if json.Unmarshal(r, &s) != nil {
		d.fe.Add("data."+key, "必须是文本", "must be text")
		return def
	}
	if s == "" {
		return def
	}
	if _, ok := allowed[s]; !ok {
		zh, en := "", ""
		for _, k := range sortedKeys(allowed) {
			zh += "、" + k + "（" + allowed[k].ZH + "）"
			en += ", " + k
		}
		d.fe.Add("data."+key, "必须是 "+zh[len("、"):]+" 之一", "must be one of "+en[2:])
		return def
	}
	return s
}

// decimal reads an optional number from lo to hi with at most two decimals;
// missing, it is 0.
func (d *dataReader) decimal(key string, lo, hi float64) float64 {
	r, ok := d.raw(key, false)
	if !ok {
		return 0
	}
	var v float64
	bad := json.Unmarshal(r, &v) != nil || math.IsNaN(v) || v < lo || v > hi
	if !bad && math.Abs(v*100-math.Round(v*100)) > 1e-6 {
		bad = true
	}
	if bad {
		f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
		d.fe.Add("data."+key, "必须是 "+f(lo)+" 到 "+f(hi)+" 之间的数，最多两位小数",
			"must be a number from "+f(lo)+" to "+f(hi)+" with at most two decimals")
		return 0
	}
	// Kept as numeric(5, 2): the answer to the request says what is stored.
	return math.Round(v*100) / 100
}

func sortedKeys(m map[string]Text) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
