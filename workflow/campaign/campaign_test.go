package campaign_test

import (
	"errors"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the tests need the real Asia/Shanghai, whatever the machine has

	"bayu/workflow"
	"bayu/workflow/campaign"
)

func day(y int, m time.Month, d int) workflow.Date { return workflow.NewDate(y, m, d) }

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := campaign.Location("")
	if err != nil {
		t.Fatal(err)
	}
	if loc.String() != "Asia/Shanghai" {
		t.Fatalf("default location = %s", loc)
	}
	return loc
}

func TestDefaultIsTheNoticeCalendar(t *testing.T) {
	c := campaign.Default(2022)
	if err := c.Validate(); err != nil {
		t.Fatalf("default campaign invalid: %v", err)
	}
	want := []campaign.Phase{
		{Key: campaign.PhaseReport, StartsOn: day(2022, 5, 1), EndsOn: day(2022, 6, 30)},
		{Key: campaign.PhaseRecommend, StartsOn: day(2022, 7, 1), EndsOn: day(2022, 7, 31)},
		{Key: campaign.PhaseEvaluate, StartsOn: day(2022, 8, 1), EndsOn: day(2022, 8, 31)},
	}
	if !slices.Equal(c.Phases, want) {
		t.Errorf("phases = %v, want %v", c.Phases, want)
	}
	if c.OpensOn != day(2022, 5, 10) || c.Year != 2022 || c.Name == "" {
		t.Errorf("opens %s, year %d, name %q", c.OpensOn, c.Year, c.Name)
	}
	if d := campaign.Default(2031); d.Phases[1].EndsOn != day(2031, 7, 31) {
		t.Errorf("Default(2031) recommend ends %s", d.Phases[1].EndsOn)
	}
}

func TestValidateNamesTheFields(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(c *campaign.Campaign)
		fields []string
	}{
		{"default is fine", func(*campaign.Campaign) {}, nil},
		{"no name", func(c *campaign.Campaign) { c.Name = "" }, []string{"name"}},
		{"year out of range", func(c *campaign.Campaign) { c.Year = 1999 }, []string{"year"}},
		{"end before start", func(c *campaign.Campaign) { c.Phases[0].EndsOn = day(2022, 4, 30) }, []string{"phases.0.ends_on", "opens_on"}},
		{"overlap", func(c *campaign.Campaign) { c.Phases[1].StartsOn = day(2022, 6, 30) }, []string{"phases.1.starts_on"}},
		{"starts the day after is fine", func(c *campaign.Campaign) { c.Phases[1].StartsOn = day(2022, 7, 1) }, nil},
		{"one-day phase is fine", func(c *campaign.Campaign) {
			c.Phases[2].StartsOn, c.Phases[2].EndsOn = day(2022, 8, 5), day(2022, 8, 5)
		}, nil},
		{"out of order", func(c *campaign.Campaign) { c.Phases[0], c.Phases[1] = c.Phases[1], c.Phases[0] },
			[]string{"phases.0.key", "phases.1.key", "phases.1.starts_on"}},
		{"missing phase", func(c *campaign.Campaign) { c.Phases = c.Phases[:2] }, []string{"phases"}},
		{"duplicate phase", func(c *campaign.Campaign) { c.Phases[2].Key = campaign.PhaseRecommend }, []string{"phases.2.key"}},
		{"unknown phase", func(c *campaign.Campaign) { c.Phases[2].Key = "party" }, []string{"phases.2.key"}},
		{"missing dates", func(c *campaign.Campaign) {
			c.Phases[1].StartsOn, c.Phases[1].EndsOn = workflow.Date{}, workflow.Date{}
		},
			[]string{"phases.1.starts_on", "phases.1.ends_on"}},
		{"opens outside report", func(c *campaign.Campaign) { c.OpensOn = day(2022, 7, 2) }, []string{"opens_on"}},
		{"no opening day is fine", func(c *campaign.Campaign) { c.OpensOn = workflow.Date{} }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := campaign.Default(2022)
			tt.edit(&c)
			err := c.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var we *workflow.Error
			if !errors.As(err, &we) || we.Code != workflow.CodeInvalid {
				t.Fatalf("error %v, want an invalid workflow.Error", err)
			}
			var got []string
			for k, v := range we.Fields {
				got = append(got, k)
				if v.ZH == "" || v.EN == "" {
					t.Errorf("field %s has no bilingual message: %+v", k, v)
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.fields))
			if !slices.Equal(got, want) {
				t.Errorf("fields %v, want %v", got, want)
			}
		})
	}
}

func TestPhaseKeyLabels(t *testing.T) {
	for _, k := range campaign.PhaseKeys {
		if !k.Valid() || k.Label().ZH == "" || k.Label().EN == "" {
			t.Errorf("phase %s has no label", k)
		}
	}
	if campaign.PhaseKey("regular").Valid() {
		t.Error("regular is not a phase")
	}
}
