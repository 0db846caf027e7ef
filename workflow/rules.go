package workflow

import "strconv"

// MaxYuan bounds every amount of money bayu accepts: far above any exhibit, far below overflow.
const MaxYuan = 1_000_000_000_000

// eventRules read each event's data and return the effect it has on the exhibit.
var eventRules = map[Event]func(x *Exhibit, c *Command, d *dataReader) func(*Exhibit){
	Report: func(x *Exhibit, _ *Command, d *dataReader) func(*Exhibit) {
		for k, v := range x.Fields.Validate(true) {
			d.fe[k] = v
		}
		return nil
	},
	Recommend:        noData,
	Decline:          noData,
	Reconsider:       noData,
	Reject:           noData,
	Withdraw:         noData,
	EndDisplay:       clearDisplay,
	StartReplication: noData,
	Accept: func(x *Exhibit, _ *Command, d *dataReader) func(*Exhibit) {
		ev := x.Evaluation
		switch {
		case ev == nil:
			d.fe.Add("evaluation", "尚无评估结果", "there is no evaluation")
		case !ev.Passed():
			if !ev.Authentic {
				d.fe.Add("evaluation.authentic", "未通过真实性审查，不能入选", "failed the authenticity check")
			}
			if !ev.NoClassified {
				d.fe.Add("evaluation.no_classified", "可能涉密，不能入选", "may contain classified content")
			}
			if !ev.NoInfringement {
				d.fe.Add("evaluation.no_infringement", "可能侵犯他人权益，不能入选", "may infringe others' rights")
			}
		}
		return nil
	},
	Evaluate: func(_ *Exhibit, c *Command, d *dataReader) func(*Exhibit) {
		e := Evaluation{
			Score:          int(d.integer("score", true, 0, 100)),
			Authentic:      d.boolean("authentic"),
			NoClassified:   d.boolean("no_classified"),
			NoInfringement: d.boolean("no_infringement"),
			Comment:        d.text("comment", true, 2000),
			By:             c.Actor.Name,
			At:             c.At,
		}
		return func(x *Exhibit) { x.Evaluation = &e }
	},
	SignAgreement: func(x *Exhibit, _ *Command, d *dataReader) func(*Exhibit) {
		a := Agreement{SignedOn: d.date("signed_on", true), Parties: d.text("parties", true, 500)}
		readAgreementTerms(x, &a, d)
		return func(x *Exhibit) { x.Agreement = &a }
	},
	Store: func(_ *Exhibit, _ *Command, d *dataReader) func(*Exhibit) {
		loc := d.text("location", true, 200)
		return func(x *Exhibit) { x.Custody.Location = loc }
	},
	CompleteReplication: func(_ *Exhibit, _ *Command, d *dataReader) func(*Exhibit) {
		on := d.date("original_returned_on", true)
		loc := d.text("location", true, 200)
		return func(x *Exhibit) { x.Custody.OriginalReturnedOn, x.Custody.Location = on, loc }
	},
	Display: func(x *Exhibit, c *Command, d *dataReader) func(*Exhibit) {
		venue, from, until, ex := readDisplay(x, c, d)
		return func(x *Exhibit) {
			x.Custody.DisplayVenue, x.Custody.DisplayFrom, x.Custody.DisplayUntil = venue, from, until
			x.Custody.ExhibitionID = nil
			if ex != nil {
				x.Custody.ExhibitionID = &ex.ID
			}
		}
	},
	Return: func(_ *Exhibit, _ *Command, d *dataReader) func(*Exhibit) {
		on := d.date("returned_on", true)
		receipt := d.text("receipt", true, 200)
		return func(x *Exhibit) { x.Custody.ReturnedOn, x.Custody.Receipt = on, receipt }
	},
	Sell: func(_ *Exhibit, _ *Command, d *dataReader) func(*Exhibit) {
		price := d.integer("price_cny", true, 0, MaxYuan)
		on := d.date("sold_on", true)
		return func(x *Exhibit) { x.Custody.SoldPriceCNY, x.Custody.SoldOn = &price, on }
	},
}

func noData(*Exhibit, *Command, *dataReader) func(*Exhibit) { return nil }

func clearDisplay(*Exhibit, *Command, *dataReader) func(*Exhibit) {
	return func(x *Exhibit) {
		x.Custody.DisplayVenue, x.Custody.DisplayFrom, x.Custody.DisplayUntil = "", Date{}, Date{}
		x.Custody.ExhibitionID = nil
	}
}

// after records an error when date a is before date b (both given).
func (d *dataReader) after(aKey string, a Date, bKey string, b Date) {
	if !a.IsZero() && !b.IsZero() && a.Before(b) {
		d.fe.Add("data."+aKey, "不能早于 "+bKey, "must not be before "+bKey)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
